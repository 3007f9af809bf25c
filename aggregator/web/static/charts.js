// Charts of the dashboard, drawn with uPlot from the page's own JSON API.
// Loaded as a static file (the Content-Security-Policy forbids inline script); every
// element with data-chart="kind" and data-src="/api/..." becomes a chart.
(function () {
  "use strict";
  var cache = {};

  function load(src) {
    if (!cache[src]) {
      cache[src] = fetch(src, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) { throw new Error(src + ": HTTP " + r.status); }
          return r.json();
        });
    }
    return cache[src];
  }

  var PALETTE = ["#1f6feb", "#2da44e", "#cf222e", "#8250df", "#bf8700", "#0a7f8f", "#e16f24", "#57606a"];

  function series(label, i, extra) {
    var s = { label: label, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: true,
              points: { show: true, size: 4 } };
    for (var k in extra || {}) { s[k] = extra[k]; }
    return s;
  }

  function draw(el, columns, labels, opts) {
    if (!columns[0] || columns[0].length === 0) {
      el.textContent = "no runs recorded yet";
      el.className += " chart-empty";
      return null;
    }
    var width = opts && opts.spark ? (el.clientWidth || 180) : Math.max(240, el.clientWidth || 400);
    var config = {
      width: width, height: (opts && opts.height) || 200,
      series: [{}].concat(labels.map(function (l, i) { return series(l, i); })),
      axes: [{}, { size: 50 }],
      scales: (opts && opts.scales) || {},
    };
    if (opts && opts.spark) {
      config.legend = { show: false };
      config.cursor = { show: false };
      config.axes = [{ show: false }, { show: false }];
      // From zero: ordinary run-to-run noise stays small, a drop to nothing stands out.
      config.scales = { x: { time: true }, y: { range: function (u, min, max) { var top = max || 1; return [-0.1 * top, 1.1 * top]; } } };
      config.series = [{}, series("stored", 0, { width: 1.5, points: { show: false } })];
      if (opts.baseline !== null && opts.baseline !== undefined) {
        config.series.push(series("baseline", 7, { dash: [3, 3], width: 1, points: { show: false } }));
      }
    }
    return new uPlot(config, columns, el);
  }

  var KINDS = {
    spark: function (el, data) {
      var key = el.getAttribute("data-key"), row = null;
      data.sources.forEach(function (r) { if (r.source === key) { row = r; } });
      if (!row) { return null; }
      var t = row.spark.t, cols = [t, row.spark.stored];
      if (row.spark.baseline !== null) {
        cols.push(t.map(function () { return row.spark.baseline; }));
      }
      return draw(el, cols, ["stored"], { spark: true, height: 40, baseline: row.spark.baseline });
    },
    runs: function (el, data) {
      var s = data.series;
      return draw(el, [s.t, s.pages, s.stored, s.failed], ["pages fetched", "articles stored", "failed fetches"]);
    },
    body: function (el, data) {
      return draw(el, [data.series.t, data.series.body], ["median body chars"]);
    },
    coverage: function (el, data) {
      var s = data.series;
      return draw(el, [s.t, s.cov_title, s.cov_date, s.cov_author, s.cov_body], ["title", "date", "author", "body"],
           { scales: { y: { range: [0, 1] } } });
    },
    rules: function (el, data) {
      var s = data.series, names = Object.keys(s.rules);
      if (names.length === 0) { el.textContent = "no boilerplate rule matched yet"; el.className += " chart-empty"; return null; }
      return draw(el, [s.t].concat(names.map(function (n) { return s.rules[n]; })), names);
    },
    lag: function (el, data) {
      var hours = function (v) { return v === null ? null : v / 3600; };
      return draw(el, [data.series.t, data.series.lag_p50.map(hours), data.series.lag_p95.map(hours)],
                  ["p50 hours", "p95 hours"]);
    },
    zone: function (el, data) {
      return draw(el, [data.series.t, data.series.zone], ["zone corrections"]);
    },
  };

  function start() {
    var nodes = document.querySelectorAll("[data-chart]");
    Array.prototype.forEach.call(nodes, function (el) {
      var kind = KINDS[el.getAttribute("data-chart")];
      if (!kind) { return; }
      load(el.getAttribute("data-src")).then(function (data) {
        if (kind(el, data)) { el.setAttribute("data-drawn", "1"); }
      }).catch(function (err) {
        el.textContent = "chart unavailable: " + err.message;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
