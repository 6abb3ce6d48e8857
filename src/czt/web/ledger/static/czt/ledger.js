/* 挂图作战: tasks drawn on the district/county map, coloured by status; a click opens the task. */
(function () {
  "use strict";

  function taskMap(id, geoUrl, data) {
    var el = document.getElementById(id);
    if (!el) return;
    fetch(geoUrl).then(function (r) { return r.json(); }).then(function (geo) {
      var features = geo.features.filter(function (f) { return f.properties.level === "county"; });
      echarts.registerMap("czt-tasks", {type: "FeatureCollection", features: features});
      var chart = echarts.init(el);
      chart.on("finished", function () { el.dataset.ready = "1"; });
      var points = data.items.filter(function (i) { return i.kind === "point"; });
      var lines = data.items.filter(function (i) { return i.kind === "line"; });
      function tip(i) { return "<b>" + i.id + " " + i.title + "</b><br>" + i.label + (i.lead ? "<br>" + i.lead : ""); }
      chart.setOption({
        animation: false,
        tooltip: {trigger: "item", formatter: function (p) { return p.data && p.data.item ? tip(p.data.item) : p.name; }},
        geo: {map: "czt-tasks", nameProperty: "code", roam: true, top: 10, bottom: 10,
          itemStyle: {areaColor: "#eef2f7", borderColor: "#9aa5b1", borderWidth: 0.8},
          emphasis: {itemStyle: {areaColor: "#dfe7f1"}, label: {show: false}},
          label: {show: true, fontSize: 10, color: "#6b7280",
            formatter: function (p) { var f = features.find(function (x) { return x.properties.code === p.name; }); return f ? f.properties.name : p.name; }}},
        series: [
          {type: "lines", coordinateSystem: "geo", polyline: true, zlevel: 1,
            lineStyle: {width: 4, opacity: 0.85},
            data: lines.map(function (i) { return {coords: i.coords, item: i, lineStyle: {color: i.colour}}; })},
          {type: "scatter", coordinateSystem: "geo", symbolSize: 13, zlevel: 2,
            itemStyle: {borderColor: "#fff", borderWidth: 1.5},
            // several tasks in one district share its centre: spread them on a small ring
            data: points.map(function (i, n) {
              var same = points.filter(function (j) { return j.coords[0][0] === i.coords[0][0] && j.coords[0][1] === i.coords[0][1]; });
              var k = same.indexOf(i), r = same.length > 1 ? 0.025 + 0.004 * same.length : 0;
              var a = 2 * Math.PI * k / Math.max(same.length, 1);
              return {value: [i.coords[0][0] + r * Math.cos(a), i.coords[0][1] + r * Math.sin(a)], item: i,
                      itemStyle: {color: i.colour}};
            })}
        ]
      });
      chart.on("click", function (p) { if (p.data && p.data.item) window.location.href = p.data.item.url; });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  window.CZT = Object.assign(window.CZT || {}, {taskMap: taskMap});
})();
