/* The flows page (跨城流动): flow map, border-effect trend, cross-city shares. Everything it
   draws arrives as JSON embedded in the page (computed by czt.flows on the server); the only
   request is for the shipped boundaries. Each chart sets data-ready="1" once drawn. */
(function () {
  "use strict";
  var CROSS = "#dc2626", WITHIN = "#64748b", BAND = "#93c5fd", LINE = "#1d4ed8";
  var CITY_TINT = {"430100": "#fef3c7", "430200": "#dcfce7", "430300": "#e0e7ff"};

  function num(v, digits) {
    return v === null || v === undefined ? "—" :
      (+v).toLocaleString(undefined, {maximumFractionDigits: digits === undefined ? 2 : digits});
  }
  function ready(el, chart) {
    chart.on("finished", function () { el.dataset.ready = "1"; });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function flowMap(id, geoUrl, data, words) {
    var el = document.getElementById(id);
    if (!el) return;
    var at = {};
    data.nodes.forEach(function (n) { at[n.code] = n; });
    var nameKey = data.lang === "en" ? "name_en" : "name_zh";
    fetch(geoUrl).then(function (r) { return r.json(); }).then(function (geo) {
      var features = geo.features.filter(function (f) { return f.properties.level === "county"; });
      echarts.registerMap("czt-flows", {type: "FeatureCollection", features: features});
      var max = 1;
      data.links.forEach(function (l) { if (l.flows > max) max = l.flows; });
      function link(l) {
        var a = at[l.a], b = at[l.b];
        if (!a || !b) return null;
        return {coords: [[a.lon, a.lat], [b.lon, b.lat]], value: l.flows, info: l,
                lineStyle: {width: 0.4 + 9 * Math.sqrt(l.flows / max),
                            opacity: 0.25 + 0.6 * Math.sqrt(l.flows / max)}};
      }
      var within = data.links.filter(function (l) { return !l.cross_city; }).map(link)
        .filter(Boolean).reverse();
      var cross = data.links.filter(function (l) { return l.cross_city; }).map(link)
        .filter(Boolean).reverse();
      var maxInternal = 1;
      Object.keys(data.internal).forEach(function (k) {
        if (data.internal[k] > maxInternal) maxInternal = data.internal[k];
      });
      var nodes = data.nodes.map(function (n) {
        var v = data.internal[n.code] || 0;
        return {name: n[nameKey], value: [n.lon, n.lat, v], code: n.code,
                symbolSize: 4 + 14 * Math.sqrt(v / maxInternal)};
      });
      var chart = echarts.init(el);
      ready(el, chart);  // before setOption: "finished" can fire during it
      chart.setOption({
        animation: false,
        legend: {top: 0, data: [words.within, words.cross, words.internal]},
        tooltip: {trigger: "item", formatter: function (p) {
          if (p.seriesType === "lines") {
            var l = p.data.info;
            var an = at[l.a][nameKey], bn = at[l.b][nameKey];
            return "<b>" + an + " ⇄ " + bn + "</b><br>" + an + " → " + bn + ": " + num(l.ab, 0) +
                   "<br>" + bn + " → " + an + ": " + num(l.ba, 0) + "<br>" +
                   (l.cross_city ? words.cross : words.within);
          }
          if (p.seriesType === "scatter") {
            return "<b>" + p.name + "</b><br>" + words.internal + ": " + num(p.value[2], 0);
          }
          var n = at[p.name];
          return n ? n[nameKey] : p.name;
        }},
        geo: {map: "czt-flows", nameProperty: "code", roam: true, top: 40, bottom: 10,
              itemStyle: {areaColor: "#f3f4f6", borderColor: "#fff", borderWidth: 1},
              emphasis: {disabled: true}, label: {show: false},
              regions: features.map(function (f) {
                return {name: f.properties.code,
                        itemStyle: {areaColor: CITY_TINT[f.properties.parent] || "#f3f4f6"}};
              })},
        series: [
          {name: words.within, type: "lines", coordinateSystem: "geo", zlevel: 1,
           lineStyle: {color: WITHIN, curveness: 0.15}, data: within},
          {name: words.cross, type: "lines", coordinateSystem: "geo", zlevel: 2,
           lineStyle: {color: CROSS, curveness: 0.15}, data: cross},
          {name: words.internal, type: "scatter", coordinateSystem: "geo", zlevel: 3,
           itemStyle: {color: "#111827", opacity: 0.7},
           label: {show: true, position: "right", fontSize: 10, color: "#374151",
                   formatter: function (p) { return p.name; }},
           labelLayout: {hideOverlap: true},
           data: nodes}
        ]
      });
    });
  }

  function borderChart(id, data, words) {
    var el = document.getElementById(id);
    if (!el || !data.border || !data.border.periods.length) return;
    var ps = data.border.periods;
    var chart = echarts.init(el);
    ready(el, chart);  // before setOption: "finished" can fire during it
    chart.setOption({
      animation: false,
      legend: {top: 0, data: [words.ratio, words.ci]},
      tooltip: {trigger: "axis", formatter: function (items) {
        var p = ps[items[0].dataIndex];
        return "<b>" + p.label + "</b><br>" + words.ratio + ": " + num(p.ratio) + "<br>" +
               words.ci + ": " + num(p.ratio_low) + "–" + num(p.ratio_high);
      }},
      grid: {left: 50, right: 30, top: 40, bottom: 30},
      xAxis: {type: "category", boundaryGap: false, data: ps.map(function (p) { return p.label; })},
      yAxis: {type: "value", min: function (v) { return Math.min(1, Math.floor(v.min * 10) / 10); }},
      series: [
        {name: "ci-low", type: "line", stack: "ci", symbol: "none", silent: true,
         lineStyle: {opacity: 0}, data: ps.map(function (p) { return p.ratio_low; })},
        {name: words.ci, type: "line", stack: "ci", symbol: "none", silent: true, color: BAND,
         lineStyle: {opacity: 0}, areaStyle: {color: BAND, opacity: 0.5},
         data: ps.map(function (p) { return p.ratio_high - p.ratio_low; })},
        {name: words.ratio, type: "line", color: LINE, symbolSize: 6,
         data: ps.map(function (p) { return p.ratio; }),
         markLine: {symbol: "none", silent: true, lineStyle: {type: "dashed", color: "#6b7280"},
                    label: {formatter: words.noborder, position: "insideEndTop"},
                    data: [{yAxis: 1}]}}
      ]
    });
  }

  function shareChart(id, data, words) {
    var el = document.getElementById(id);
    if (!el || !data.periods.length) return;
    var ps = data.periods;
    function pct(v) { return v === null ? null : Math.round(v * 10000) / 100; }
    var chart = echarts.init(el);
    ready(el, chart);  // before setOption: "finished" can fire during it
    chart.setOption({
      animation: false,
      legend: {top: 0},
      tooltip: {trigger: "axis", valueFormatter: function (v) { return num(v) + "%"; }},
      grid: {left: 50, right: 30, top: 40, bottom: 30},
      xAxis: {type: "category", data: ps.map(function (p) { return p.label; })},
      yAxis: {type: "value", min: 0, axisLabel: {formatter: "{value}%"}},
      series: [
        {name: words.crossShare, type: "line", color: CROSS, symbolSize: 6,
         data: ps.map(function (p) { return pct(p.cross_city_share); })},
        {name: words.crossBetween, type: "line", color: "#7c3aed", symbolSize: 6,
         lineStyle: {type: "dashed"},
         data: ps.map(function (p) { return pct(p.cross_city_share_between_districts); })}
      ]
    });
  }

  function draw(data, geoUrl, words) {
    flowMap("flow-map", geoUrl, data, words);
    borderChart("border-chart", data, words);
    shareChart("share-chart", data, words);
  }

  window.CZTFlows = {draw: draw, flowMap: flowMap, borderChart: borderChart, shareChart: shareChart};
})();
