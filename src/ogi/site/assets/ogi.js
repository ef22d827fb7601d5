// The site's own script: sortable lists, copy-citation buttons, the reader's cited date, and charts.
// Charts are drawn with Chart.js, loaded from this site (assets/ogi/chart.umd.js) only on a page that has one.
(function () {
  "use strict";
  var here = document.currentScript ? document.currentScript.src : "";

  // --- sortable lists: <div class="ogi-sortable"><table>; cells carry data-sort (blank: no number, sorts last) ---
  function sortKey(cell, numeric) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (!numeric) return raw;
    return raw === "" ? null : Number(raw);
  }

  function sortBy(table, index, button) {
    var th = button.closest("th");
    var numeric = th.getAttribute("data-type") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortKey(a.cells[index], numeric), y = sortKey(b.cells[index], numeric);
      if (x === null || y === null) return x === y ? 0 : (x === null ? 1 : -1); // no number: last either way
      var order = numeric ? x - y : String(x).localeCompare(String(y), "zh");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function setUpSorting() {
    document.querySelectorAll(".ogi-sortable table").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, index) {
        var button = th.querySelector("button.ogi-sort");
        if (button) button.addEventListener("click", function () { sortBy(table, index, button); });
      });
    });
  }

  // --- citations: today's date as the cited date (GB/T 7714: YYYY-MM-DD), and copy buttons ---
  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea"); // file:// pages: the older way
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function setUpCitations() {
    document.querySelectorAll(".ogi-cite-date").forEach(function (span) { span.textContent = today(); });
    document.querySelectorAll(".ogi-cite").forEach(function (block) {
      var button = block.querySelector("button.ogi-copy");
      var text = block.querySelector(".ogi-cite__text");
      if (!button || !text) return;
      button.addEventListener("click", function () {
        copyText(text.textContent.trim()).then(
          function () { button.textContent = "已复制"; },
          function () { button.textContent = "复制失败，请手动选取"; }
        );
      });
    });
  }

  // --- charts ---
  var COLOURS = ["#3f6fb5", "#e08a2c", "#4a9a5b", "#c4473d", "#8a63b0", "#8c6d4f", "#d07fb4", "#7f7f7f"];
  var FONT = '"WenQuanYi Micro Hei", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  // A bar's label where the canvas is narrow: its start and its end (the year), the middle left out, so the
  // label fits in half the chart's width. The whole label is in the tooltip and in the table under the chart.
  function fitLabel(value) {
    var label = String(this.getLabelForValue(value));
    var ctx = this.ctx;
    var room = this.chart.width * 0.45;
    ctx.save();
    ctx.font = window.Chart.helpers.toFont(this.options.ticks.font).string;
    var shown = label;
    for (var keep = label.length - 6; keep > 1 && ctx.measureText(shown).width > room; keep--) {
      shown = label.slice(0, keep) + "…" + label.slice(-5);
    }
    ctx.restore();
    return shown;
  }

  function draw(figure) {
    var data = JSON.parse(figure.querySelector("script.ogi-chart__data").textContent);
    var box = figure.querySelector(".ogi-chart__canvas");
    var rows = data.labels.length;
    box.style.height = (data.horizontal ? Math.max(160, 40 + rows * 18 * Math.max(1, data.series.length)) : 320) + "px";
    new window.Chart(box.querySelector("canvas"), {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return { label: s.name, data: s.values, backgroundColor: COLOURS[i % COLOURS.length] };
        }),
      },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: data.series.length > 1 },
          tooltip: {
            callbacks: {
              label: function (c) {
                var v = c.raw === null ? "无数值" : c.raw + " " + data.unit;
                return (data.series.length > 1 ? c.dataset.label + "：" : "") + v;
              },
            },
          },
        },
        scales: {
          x: { beginAtZero: true },
          y: { beginAtZero: true, ticks: data.horizontal ? { callback: fitLabel } : {} },
        },
      },
    });
    figure.classList.add("ogi-chart--drawn");
  }

  var library = null; // one load of Chart.js per visit, however many pages show charts

  function loadLibrary() {
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = here.replace(/ogi\.js(\?.*)?$/, "chart.umd.js");
        script.onload = function () {
          window.Chart.defaults.font.family = FONT;
          resolve(window.Chart);
        };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return library;
  }

  function setUpCharts() {
    var figures = document.querySelectorAll("figure.ogi-chart:not(.ogi-chart--drawn)");
    if (figures.length) loadLibrary().then(function () { figures.forEach(draw); });
  }

  function start() {
    setUpSorting();
    setUpCitations();
    setUpCharts();
  }

  // With Material's instant navigation a new page does not reload the scripts: its document$ tells.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
