/* Charts of the integration-analysis page (一体化分析). The numbers arrive as JSON embedded
   in the page, computed by the platform's methods; this file only draws them. Each chart
   sets data-ready="1" on ECharts' "finished" event, as charts.js does. */
(function () {
  "use strict";
  var COLORS = ["#b91c1c", "#2563eb", "#059669", "#d97706", "#7c3aed", "#0891b2", "#6b7280"];

  function fmt(v, digits) {
    if (v === null || v === undefined) return "—";
    return (+v).toLocaleString(undefined, {maximumFractionDigits: digits === undefined ? 4 : digits});
  }
  function init(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.init(el);
    chart.on("finished", function () { el.dataset.ready = "1"; });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function disparityChart(data, words) {
    if (!data.years.length) return;
    var chart = init("disparity-chart");
    if (!chart) return;
    var keys = ["sd_log", "cv", "cv_weighted", "gini", "gini_weighted", "theil", "theil_weighted"];
    chart.setOption({
      animation: false,
      tooltip: {trigger: "axis", valueFormatter: function (v) { return fmt(v, 4); }},
      legend: {type: "scroll", top: 0},
      grid: {left: 60, right: 70, top: 50, bottom: 30},
      xAxis: {type: "category", data: data.years.map(String)},
      /* Theil T is an order of magnitude smaller than the others: its own axis, on the right */
      yAxis: [{type: "value", scale: true, name: "σ · CV · Gini"},
              {type: "value", scale: true, name: words.theil, splitLine: {show: false}}],
      series: keys.map(function (k, i) {
        return {name: words[k], type: "line", color: COLORS[i % COLORS.length], symbolSize: 7,
                yAxisIndex: k.indexOf("theil") === 0 ? 1 : 0,
                lineStyle: {type: k.indexOf("weighted") > 0 ? "dashed" : "solid"},
                data: data.series[k]};
      })
    });
  }

  function primacyChart(data, words) {
    if (!data.years.length) return;
    var chart = init("primacy-chart");
    if (!chart) return;
    chart.setOption({
      animation: false,
      tooltip: {trigger: "axis", valueFormatter: function (v) { return fmt(v, 2) + "%"; }},
      legend: {top: 0},
      grid: {left: 60, right: 30, top: 40, bottom: 30},
      xAxis: {type: "category", data: data.years.map(String)},
      yAxis: {type: "value", scale: true, axisLabel: {formatter: "{value}%"}},
      series: [
        {name: words.gdp_share, type: "line", color: COLORS[0], symbolSize: 7, data: data.gdp,
         label: {show: true, formatter: function (p) { return fmt(p.value, 1); }}},
        {name: words.population_share, type: "line", color: COLORS[1], symbolSize: 7,
         /* years before the census revision: grey triangles, not comparable (see the page) */
         data: data.population.map(function (v, i) {
           return data.pre_census[i] ? {value: v, symbol: "triangle", symbolSize: 9,
                                        itemStyle: {color: "#9ca3af"}} : v;
         }),
         label: {show: true, position: "bottom", formatter: function (p) { return fmt(p.value, 1); }}}
      ]
    });
  }

  function decompositionChart(data, words) {
    if (!data.length) return;
    var chart = init("decomposition-chart");
    if (!chart) return;
    var categories = [];
    var between = [];
    var within = [];
    data.forEach(function (d) {
      categories.push(d.label + "\n" + words.unweighted, d.label + "\n" + words.weighted);
      between.push(d.between, d.between_weighted);
      within.push(d.within, d.within_weighted);
    });
    chart.setOption({
      animation: false,
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, valueFormatter: function (v) { return fmt(v, 5); }},
      legend: {top: 0},
      grid: {left: 60, right: 30, top: 40, bottom: 60},
      xAxis: {type: "category", data: categories, axisLabel: {interval: 0}},
      yAxis: {type: "value", name: "Theil T"},
      series: [
        {name: words.between, type: "bar", stack: "t", color: COLORS[0], data: between},
        {name: words.within, type: "bar", stack: "t", color: COLORS[1], data: within}
      ]
    });
  }

  function topsisChart(data, words) {
    if (!data.cities.length) return;
    var chart = init("topsis-chart");
    if (!chart) return;
    chart.setOption({
      animation: false,
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, valueFormatter: function (v) { return fmt(v, 4); }},
      legend: {top: 0},
      grid: {left: 60, right: 30, top: 40, bottom: 30},
      xAxis: {type: "category", data: data.cities},
      yAxis: {type: "value", name: words.closeness, min: 0, max: 1},
      series: [
        {name: words.entropy, type: "bar", color: COLORS[0], data: data.entropy,
         label: {show: true, position: "top", formatter: function (p) { return fmt(p.value, 3); }}},
        {name: words.equal, type: "bar", color: COLORS[1], data: data.equal,
         label: {show: true, position: "top", formatter: function (p) { return fmt(p.value, 3); }}}
      ]
    });
  }

  function linkageChart(data, words) {
    if (!data.points.length) return;
    var chart = init("linkage-chart");
    if (!chart) return;
    var totals = data.points.map(function (p) { return p.total; });
    var maxTotal = Math.max.apply(null, totals);
    var strengths = data.pairs.map(function (p) { return p.strength; });
    var maxStrength = Math.max.apply(null, strengths);
    var cosLat = Math.cos(data.points[0].lat * Math.PI / 180);
    chart.setOption({
      animation: false,
      tooltip: {formatter: function (p) {
        if (p.dataType === "edge") {
          return p.data.label_ + "<br>" + words.distance + " " + fmt(p.data.distance, 1) + " " +
                 words.km + "<br>" + words.strength + " " + fmt(p.data.strength, 2);
        }
        return "<b>" + p.data.name + "</b><br>" + words.strength + " " + fmt(p.data.total, 2);
      }},
      series: [{
        type: "graph", layout: "none", roam: false,
        label: {show: true, position: "right", fontSize: 13},
        edgeLabel: {show: true, formatter: function (p) { return fmt(p.data.strength, 1); }},
        data: data.points.map(function (p, i) {
          return {id: p.code, name: p.name, x: p.lon * cosLat, y: -p.lat, total: p.total,
                  symbolSize: 18 + 30 * p.total / maxTotal, itemStyle: {color: COLORS[i]}};
        }),
        links: data.pairs.map(function (p) {
          var a = data.points.filter(function (x) { return x.code === p.a_code; })[0];
          var b = data.points.filter(function (x) { return x.code === p.b_code; })[0];
          return {source: p.a_code, target: p.b_code, distance: p.distance, strength: p.strength,
                  label_: a.name + " – " + b.name,
                  lineStyle: {width: 1 + 9 * p.strength / maxStrength, color: "#6b7280", opacity: 0.7}};
        })
      }]
    });
  }

  function draw(data, words) {
    disparityChart(data.disparity, words);
    primacyChart(data.primacy, words);
    decompositionChart(data.decomposition, words);
    topsisChart(data.topsis, words);
    linkageChart(data.linkage, words);
  }

  window.CZTAnalysis = {draw: draw};
})();
