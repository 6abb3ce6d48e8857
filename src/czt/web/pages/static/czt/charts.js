/* ECharts drawings for the pages. Data arrive as JSON embedded in the page; nothing is
   fetched from outside the platform. Each chart sets data-ready="1" once drawn, which the
   browser tests wait for. */
(function () {
  "use strict";
  var COLORS = ["#b91c1c", "#2563eb", "#059669", "#d97706", "#7c3aed"];
  function fmt(v) { return v === null || v === undefined ? "—" : (+v).toLocaleString(undefined, {maximumFractionDigits: 2}); }
  // Call before setOption: with animation off, setOption renders synchronously and fires
  // "finished" before it returns, so a listener attached afterwards never hears it.
  function ready(el, chart) {
    chart.on("finished", function () { el.dataset.ready = "1"; });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function indicatorChart(id, data, words) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el);
    ready(el, chart);
    var series = data.series.map(function (s, i) {
      return {
        name: s.name, type: "line", color: COLORS[i % COLORS.length], connectNulls: true,
        symbolSize: 7,
        data: s.points.map(function (p) {
          return {value: [p.year, p.value], symbol: p.derived ? "emptyCircle" : "circle",
                  derived: p.derived};
        })
      };
    });
    var colorOf = {};
    data.series.forEach(function (s, i) { colorOf[s.region] = COLORS[i % COLORS.length]; });
    // Two plans can set the same target (CZT GDP > 25000 and >= 25000 by 2025): draw that
    // line once, from the earliest base year, or the end labels print on top of each other.
    var onScale = data.targets.filter(function (t) { return t.on_scale; });
    var lines = {};
    function lineKey(t) { return [t.region, t.value, t.target_year].join("|"); }
    onScale.forEach(function (t) {
      var l = lines[lineKey(t)] || (lines[lineKey(t)] = {base: t.base_year, ops: []});
      l.base = Math.min(l.base, t.base_year);
      if (l.ops.indexOf(t.operator) < 0) l.ops.push(t.operator);
    });
    onScale.forEach(function (t) {
      var c = colorOf[t.region] || "#111";
      var l = lines[lineKey(t)];
      if (!l.drawn) {
        l.drawn = true;
        series.push({name: t.region_name + " " + words.target, type: "line", color: c,
          lineStyle: {type: "dashed", width: 1.5}, symbol: "none",
          data: [[l.base, t.value], [t.target_year, t.value]],
          endLabel: {show: true, formatter: words.target + " " + l.ops.join(" / ") + " " + fmt(t.value)}});
      }
      if (t.projected !== null && t.last_year !== null && t.last_year < t.target_year) {
        series.push({name: t.region_name + " " + words.projection, type: "line", color: c,
          lineStyle: {type: "dotted", width: 2}, symbol: "triangle", symbolSize: 6,
          data: [[t.last_year, t.last_value], [t.target_year, t.projected]]});
      }
    });
    chart.setOption({
      animation: false,
      tooltip: {trigger: "axis", valueFormatter: function (v) { return fmt(v) + " " + data.unit; }},
      legend: {type: "scroll", top: 0},
      grid: {left: 70, right: 110, top: 50, bottom: 40},
      xAxis: {type: "value", min: "dataMin", max: "dataMax", minInterval: 1,
              axisLabel: {formatter: function (v) { return String(v); }}},
      yAxis: {type: "value", name: data.unit, scale: true},
      series: series
    });
  }

  function shareChart(id, data) {
    var el = document.getElementById(id);
    if (!el || !data.indicators.length) return;
    var chart = echarts.init(el);
    ready(el, chart);
    chart.setOption({
      animation: false,
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, valueFormatter: function (v) { return v + "%"; }},
      legend: {top: 0}, grid: {left: 160, right: 30, top: 40, bottom: 30},
      xAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
      yAxis: {type: "category", data: data.indicators, inverse: true},
      series: data.cities.map(function (c, i) {
        return {name: c, type: "bar", stack: "s", color: COLORS[i + 1 === 1 ? 0 : i],
                label: {show: true, formatter: "{c}%"},
                data: data.shares.map(function (row) { return row[i]; })};
      })
    });
  }

  function choropleth(id, geoUrl, data, words) {
    var el = document.getElementById(id);
    if (!el) return;
    var level = el.dataset.level;
    fetch(geoUrl).then(function (r) { return r.json(); }).then(function (geo) {
      var features = geo.features.filter(function (f) { return f.properties.level === level; });
      echarts.registerMap("czt-" + level, {type: "FeatureCollection", features: features});
      var chart = echarts.init(el);
      ready(el, chart);
      var values = data.items.filter(function (i) { return i.value !== null; }).map(function (i) { return i.value; });
      var items = data.items.map(function (i) {
        var item = {name: i.code, value: i.value === null ? NaN : i.value, label_: i.name,
                    source: i.source, year: data.year};
        if (i.value === null) {
          item.itemStyle = {areaColor: "#e5e7eb", decal: {symbol: "rect", dashArrayX: [1, 0],
            dashArrayY: [2, 4], rotation: Math.PI / 4, color: "#9ca3af"}};
        }
        return item;
      });
      chart.setOption({
        animation: false,
        aria: {enabled: true, decal: {show: false}},
        tooltip: {trigger: "item", formatter: function (p) {
          var d = p.data || {};
          if (d.value === undefined || isNaN(d.value)) return (d.label_ || p.name) + "<br>" + words.nodata;
          return "<b>" + d.label_ + "</b><br>" + fmt(d.value) + " " + data.unit + "<br>" +
                 words.year + " " + d.year + "<br>" + words.source + ": " + (d.source || "—");
        }},
        visualMap: values.length ? {min: Math.min.apply(null, values), max: Math.max.apply(null, values),
          calculable: true, left: 10, bottom: 20,
          inRange: {color: ["#fee2e2", "#fca5a5", "#ef4444", "#991b1b"]},
          outOfRange: {color: "#e5e7eb"}, formatter: function (v) { return fmt(v); }} : undefined,
        series: [{type: "map", map: "czt-" + level, nameProperty: "code", roam: true,
          top: 20, bottom: 20, labelLayout: {hideOverlap: true},
          label: {show: true, fontSize: 11, formatter: function (p) { return (p.data && p.data.label_) || p.name; }},
          emphasis: {label: {show: true}, itemStyle: {areaColor: "#fde68a"}},
          itemStyle: {borderColor: "#fff", borderWidth: 1, areaColor: "#e5e7eb"},
          data: items}]
      });
    });
  }

  window.CZT = {indicatorChart: indicatorChart, shareChart: shareChart, choropleth: choropleth};
})();
