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

  /* Side-by-side panels, one per variable: grid i of n, with its title centred above it.
     ECharts takes no calc(), so the margins inside each panel are percentages of the chart
     width (left: room for the axis labels). */
  function panels(n, top, bottom, left, right) {
    var grids = [];
    var titles = [];
    for (var i = 0; i < n; i++) {
      var from = i * 100 / n;
      var to = from + 100 / n;
      grids.push({left: (from + left) + "%", right: (100 - to + right) + "%",
                  top: top, bottom: bottom});
      titles.push({left: (from + left + (100 / n - left - right) / 2) + "%", top: top - 26,
                   textAlign: "center"});
    }
    return {grids: grids, titles: titles};
  }
  /* fixed decimals and a true minus sign, for labels that are compared with each other */
  function fixed(v, digits) {
    if (v === null || v === undefined) return "—";
    return (+v).toFixed(digits).replace("-", "−");
  }
  function pct(v) { return v === null || v === undefined ? "" : fixed(v, 1) + "%"; }
  /* a round axis maximum at or above x (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × a power of 10),
     leaving room above the tallest bar for its total */
  function niceMax(x) {
    if (!(x > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(x)));
    var steps = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= x - 1e-12) return steps[i] * p;
    return 10 * p;
  }

  /* One stack per bar and panel: the parts, each labelled with its share of the total, and
     the total above the stack (an invisible point carrying the label). Used by the Dagum
     and GE(2) charts, whose bars hold the parts, "<part>_share" and "total". */
  function stackedShares(variables, parts, words, barMaxWidth, totalName, totalLabel) {
    var series = [];
    variables.forEach(function (v, i) {
      parts.forEach(function (k, j) {
        series.push({name: words[k], type: "bar", stack: "s" + i, xAxisIndex: i, yAxisIndex: i,
          color: COLORS[j], barMaxWidth: barMaxWidth,
          label: {show: true, color: "#fff", formatter: function (p) { return pct(v.bars[p.dataIndex][k + "_share"]); }},
          data: v.bars.map(function (b) { return b[k]; })});
      });
      series.push({name: totalName, type: "scatter", xAxisIndex: i, yAxisIndex: i, symbolSize: 0,
        silent: true, tooltip: {show: false},
        label: {show: true, position: "top", fontWeight: "bold", color: "#111",
                formatter: function (p) { return totalLabel(p.value); }},
        data: v.bars.map(function (b) { return b.total; })});
    });
    return series;
  }

  /* Dagum: G = G_w + G_nb + G_t as stacked bars, one panel per variable; one y scale for all
     panels so that the Ginis of the two variables compare by height. */
  function dagumChart(data) {
    if (!data.variables.length) return;
    var chart = init("dagum-chart");
    if (!chart) return;
    var w = data.words;
    var parts = ["within", "net_between", "transvariation"];
    var layout = panels(data.variables.length, 70, 30, 5, 2);
    var max = 0;
    data.variables.forEach(function (v) {
      v.bars.forEach(function (b) { max = Math.max(max, b.total); });
    });
    var series = stackedShares(data.variables, parts, w, 90, "G",
                               function (v) { return "G = " + fixed(v, 3); });
    chart.setOption({
      animation: false,
      title: data.variables.map(function (v, i) {
        return Object.assign({text: v.label, textStyle: {fontSize: 13}}, layout.titles[i]);
      }),
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, formatter: function (ps) {
        var p = ps[0];
        var v = data.variables[Math.floor(p.seriesIndex / (parts.length + 1))];
        var b = v.bars[p.dataIndex];
        return "<b>" + v.label + "</b><br>" + b.weighting + ": " + w.total + " G = " +
          fmt(b.total, 5) + parts.map(function (k) {
            return "<br>" + w[k] + " " + fmt(b[k], 5) + " (" + pct(b[k + "_share"]) + ")";
          }).join("");
      }},
      legend: {top: 0, data: parts.map(function (k) { return w[k]; })},
      grid: layout.grids,
      xAxis: data.variables.map(function (v, i) {
        return {type: "category", gridIndex: i, data: v.bars.map(function (b) { return b.weighting; })};
      }),
      yAxis: data.variables.map(function (v, i) {
        return {type: "value", gridIndex: i, min: 0, max: niceMax(max * 1.12),
                name: i === 0 ? w.total : ""};
      }),
      series: series
    });
  }

  /* Gini inside each city (diagonal) and between pairs of cities (off the diagonal), one
     heat map per variable, each on its own colour scale; every cell carries its value. */
  function giniMatrixChart(data) {
    if (!data.variables.length) return;
    var chart = init("gini-matrix-chart");
    if (!chart) return;
    var w = data.words;
    var n = data.variables.length;
    var layout = panels(n, 40, 30, 7, 2);
    var ramp = ["#fff7ed", "#fdba74", "#ea580c", "#9a3412"];
    function range(v) {
      var values = v.cells.map(function (c) { return c.value; });
      var lo = Math.min.apply(null, values);
      var hi = Math.max.apply(null, values);
      return [lo - (hi - lo) * 0.15, hi];  /* the smallest value is not white */
    }
    chart.setOption({
      animation: false,
      title: data.variables.map(function (v, i) {
        return Object.assign({text: v.label, textStyle: {fontSize: 13}}, layout.titles[i]);
      }),
      tooltip: {trigger: "item", formatter: function (p) {
        var c = p.data.cell;
        var where = c.kind === "within" ? data.cities[c.row] :
          data.cities[c.row] + " – " + data.cities[c.col];
        return "<b>" + data.variables[p.seriesIndex].label + "</b><br>" + where + "<br>" +
          w[c.kind] + " " + fmt(c.value, 5) +
          (c.kind === "between" ? "<br>" + w.affluence + " " + fmt(c.affluence, 4) : "");
      }},
      grid: layout.grids,
      xAxis: data.variables.map(function (v, i) {
        return {type: "category", gridIndex: i, data: data.cities,
                axisTick: {show: false}, axisLine: {show: false}};
      }),
      yAxis: data.variables.map(function (v, i) {
        return {type: "category", gridIndex: i, data: data.cities, inverse: true,
                axisTick: {show: false}, axisLine: {show: false}};
      }),
      visualMap: data.variables.map(function (v, i) {
        return {show: false, seriesIndex: i, dimension: 2, min: range(v)[0], max: range(v)[1],
                inRange: {color: ramp}};
      }),
      series: data.variables.map(function (v, i) {
        var r = range(v);
        return {type: "heatmap", xAxisIndex: i, yAxisIndex: i,
          label: {show: true, fontSize: 14, formatter: function (p) { return fixed(p.data.cell.value, 3); }},
          itemStyle: {borderColor: "#fff", borderWidth: 3},
          emphasis: {itemStyle: {borderColor: "#111", borderWidth: 1}},
          /* the diagonal last, so that its dark frame is drawn over its neighbours' */
          data: v.cells.filter(function (c) { return c.kind === "between"; }).concat(
            v.cells.filter(function (c) { return c.kind === "within"; })).map(function (c) {
            var item = {value: [c.col, c.row, c.value], cell: c,
                        /* dark text on the light half of the ramp, white on the dark half */
                        label: {color: (c.value - r[0]) / (r[1] - r[0]) < 0.55 ? "#1f2a37" : "#fff"}};
            if (c.kind === "within") item.itemStyle = {borderColor: "#1f2a37", borderWidth: 3};
            return item;
          })};
      })
    });
  }

  /* GE(2) and Theil T, each split into between and within cities; one panel per variable,
     each with its own scale (the schooling disparities are much smaller). */
  function ge2Chart(data) {
    if (!data.variables.length) return;
    var chart = init("ge2-chart");
    if (!chart) return;
    var w = data.words;
    var parts = ["between", "within"];
    var layout = panels(data.variables.length, 70, 50, 5, 2);
    var series = stackedShares(data.variables, parts, w, 70, "total",
                               function (v) { return fixed(v, 4); });
    chart.setOption({
      animation: false,
      title: data.variables.map(function (v, i) {
        return Object.assign({text: v.label, textStyle: {fontSize: 13}}, layout.titles[i]);
      }),
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, formatter: function (ps) {
        var p = ps[0];
        var v = data.variables[Math.floor(p.seriesIndex / (parts.length + 1))];
        var b = v.bars[p.dataIndex];
        return "<b>" + v.label + "</b><br>" + b.measure + ", " + b.weighting + " " + fmt(b.total, 5) +
          parts.map(function (k) {
            return "<br>" + w[k] + " " + fmt(b[k], 5) + " (" + pct(b[k + "_share"]) + ")";
          }).join("");
      }},
      legend: {top: 0, data: parts.map(function (k) { return w[k]; })},
      grid: layout.grids,
      xAxis: data.variables.map(function (v, i) {
        return {type: "category", gridIndex: i, axisLabel: {interval: 0},
                data: v.bars.map(function (b) { return b.measure + "\n" + b.weighting; })};
      }),
      yAxis: data.variables.map(function (v, i) {
        return {type: "value", gridIndex: i, min: 0,
                max: function (e) { return niceMax(e.max * 1.12); },
                axisLabel: {formatter: function (x) { return fmt(x, 3); }}};
      }),
      series: series
    });
  }

  /* Panel β per variant with its confidence interval (error bars) and the zero line. */
  function panelBetaChart(data) {
    if (!data.specs.length) return;
    var chart = init("panel-beta-chart");
    if (!chart) return;
    var w = data.words;
    var labels = data.specs.map(function (s) { return s.label; });
    chart.setOption({
      animation: false,
      tooltip: {trigger: "item", formatter: function (p) {
        var s = data.specs[p.dataIndex];
        return "<b>" + s.label + "</b><br>β " + fmt(s.beta, 4) + "<br>" + w.std_error + " " +
          fmt(s.std_error, 4) + "<br>" + w.ci + " [" + fmt(s.ci_low, 4) + ", " + fmt(s.ci_high, 4) +
          "]<br>" + w.p_value + " " + fmt(s.p_value, 3) + "<br>" + w.speed + " " + fmt(s.speed, 3) +
          "<br>" + w.half_life + " " + fmt(s.half_life, 1);
      }},
      legend: {top: 0, data: ["β", w.ci]},
      grid: {left: 215, right: 30, top: 40, bottom: 40},
      /* a value axis without "scale" always takes in 0, where the zero line goes */
      xAxis: {type: "value", name: "β", nameLocation: "middle", nameGap: 26},
      yAxis: {type: "category", data: labels, inverse: true,
              axisLabel: {width: 200, overflow: "break", lineHeight: 15}},
      series: [
        {name: w.ci, type: "custom", color: "#6b7280",
         renderItem: function (params, api) {
           var y = api.value(2);
           var a = api.coord([api.value(0), y]);
           var b = api.coord([api.value(1), y]);
           var cap = 7;
           var style = {stroke: "#6b7280", lineWidth: 2};
           return {type: "group", children: [
             {type: "line", shape: {x1: a[0], y1: a[1], x2: b[0], y2: b[1]}, style: style},
             {type: "line", shape: {x1: a[0], y1: a[1] - cap, x2: a[0], y2: a[1] + cap}, style: style},
             {type: "line", shape: {x1: b[0], y1: b[1] - cap, x2: b[0], y2: b[1] + cap}, style: style}
           ]};
         },
         encode: {x: [0, 1], y: 2},
         data: data.specs.map(function (s, i) { return [s.ci_low, s.ci_high, i]; })},
        {name: "β", type: "scatter", color: COLORS[0], symbolSize: 11,
         label: {show: true, position: "top", distance: 8, formatter: function (p) { return fixed(p.value[0], 3); }},
         markLine: {silent: true, symbol: "none", label: {show: false},
                    lineStyle: {color: "#111", type: "dashed", width: 1}, data: [{xAxis: 0}]},
         data: data.specs.map(function (s, i) { return [s.beta, i]; })}
      ]
    });
  }

  /* Growth in each year against the log level at its start, per city, with the pooled fit. */
  function panelGrowthChart(data) {
    if (!data.points.length) return;
    var chart = init("panel-growth-chart");
    if (!chart) return;
    var w = data.words;
    var series = data.cities.map(function (name, i) {
      return {name: name, type: "scatter", color: COLORS[i], symbolSize: 10,
        label: {show: true, position: "right", fontSize: 11, color: "#4b5563",
                formatter: function (p) { return String(p.data.point.year); }},
        labelLayout: {hideOverlap: true},
        data: data.points.filter(function (p) { return p.city === name; }).map(function (p) {
          return {value: [p.log_initial, p.growth], point: p};
        })};
    });
    if (data.fit) {
      series.push({name: w.fit + ", β = " + fixed(data.fit.beta, 3), type: "line", color: "#111",
        symbol: "none", lineStyle: {type: "dashed", width: 1.5}, tooltip: {show: false},
        data: [[data.fit.x[0], data.fit.y[0]], [data.fit.x[1], data.fit.y[1]]]});
    }
    chart.setOption({
      animation: false,
      tooltip: {trigger: "item", formatter: function (p) {
        var d = p.data.point;
        return "<b>" + d.city + "</b> " + d.start + "→" + d.year + "<br>" + w.x_axis + " " +
          fmt(d.log_initial, 3) + "<br>" + w.y_axis + " " + fmt(d.growth, 4);
      }},
      legend: {top: 0},
      grid: {left: 75, right: 40, top: 40, bottom: 45},
      xAxis: {type: "value", scale: true, name: w.x_axis, nameLocation: "middle", nameGap: 28,
              axisLabel: {formatter: function (x) { return fmt(x, 2); }}},
      yAxis: {type: "value", name: w.y_axis, nameLocation: "middle", nameGap: 45,
              axisLabel: {formatter: function (x) { return fmt(x, 2); }}},
      series: series
    });
  }

  /* composite index: each city's score by year (pooled min-max, so years compare), and the
     Sobol indices of the choices; labels come with the data in the reader's language */
  function compositeCharts(data) {
    var chart = init("composite-chart");
    if (chart) {
      chart.setOption({
        animation: false,
        tooltip: {trigger: "axis", valueFormatter: function (v) { return fmt(v, 1); }},
        legend: {top: 0},
        grid: {left: 60, right: 30, top: 40, bottom: 30},
        xAxis: {type: "category", data: data.years.map(String)},
        yAxis: {type: "value", name: data.labels.score, min: 0, max: 100},
        series: data.series.map(function (s, i) {
          /* no point labels: the three lines cross and labels would overlap; the tooltip
             and the table give the values */
          return {name: s.name, type: "line", color: COLORS[i], symbolSize: 8, data: s.scores};
        })
      });
    }
    var sobol = init("sobol-chart");
    if (sobol && data.factors.length) {
      sobol.setOption({
        animation: false,
        tooltip: {trigger: "axis", axisPointer: {type: "shadow"},
                  valueFormatter: function (v) { return fmt(v, 3); }},
        legend: {top: 0},
        grid: {left: 60, right: 30, top: 40, bottom: 30},
        xAxis: {type: "category", data: data.factors, axisLabel: {interval: 0}},
        yAxis: {type: "value", min: 0},
        series: [
          {name: data.labels.S1, type: "bar", color: COLORS[1], data: data.S1,
           label: {show: true, position: "top", formatter: function (p) { return fmt(p.value, 2); }}},
          {name: data.labels.ST, type: "bar", color: COLORS[0], data: data.ST,
           label: {show: true, position: "top", formatter: function (p) { return fmt(p.value, 2); }}}
        ]
      });
    }
  }

  function draw(data, words) {
    disparityChart(data.disparity, words);
    primacyChart(data.primacy, words);
    decompositionChart(data.decomposition, words);
    topsisChart(data.topsis, words);
    linkageChart(data.linkage, words);
    if (data.composite) compositeCharts(data.composite);
    if (data.dagum) dagumChart(data.dagum);
    if (data.gini_matrix) giniMatrixChart(data.gini_matrix);
    if (data.ge2) ge2Chart(data.ge2);
    if (data.panel_beta) {
      panelBetaChart(data.panel_beta);
      panelGrowthChart(data.panel_beta);
    }
  }

  window.CZTAnalysis = {draw: draw};
})();
