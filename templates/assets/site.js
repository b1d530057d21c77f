// Turn each chart's build-time SVG into an interactive Vega view (tooltips), laid out at
// the width of its column, and again whenever that width changes.
// The SVG stays visible until the view has rendered, so a failure never blanks a chart.
(function () {
  "use strict";

  function showLive(figure, live) {
    live.hidden = false;
    figure.querySelector(".chart-static").hidden = true;
    figure.setAttribute("data-rendered", "true");
  }

  // The signals that hold the plot's width: "width" for a single view, "child_width" for
  // panels, "concat_N_width" for stacked views (names Vega-Lite gives them).
  function widthSignals(spec) {
    var names = (spec.signals || []).map(function (s) { return s.name; })
      .filter(function (name) { return /^(child|concat_\d+)_width$/.test(name); });
    return names.length ? names : ["width"];
  }

  // Lay the view out again so that, axes and legends included, it spans the figure: the
  // plot gets what the margin around it leaves. A margin can move with the plot (a tick
  // label more or less), so it is measured again, up to three times.
  function fit(view, figure, names, tries) {
    tries = tries === undefined ? 3 : tries;
    var svg = view.container().querySelector("svg");
    var drawn = svg ? parseFloat(svg.getAttribute("width")) : NaN;
    var plot = Math.max.apply(null, names.map(function (name) { return view.signal(name); }));
    var wanted = Math.max(60, Math.floor(plot + figure.clientWidth - drawn));
    if (!tries || !isFinite(wanted) || Math.abs(wanted - plot) < 1) {
      return Promise.resolve();
    }
    names.forEach(function (name) { view.signal(name, wanted); });
    // resize(): the layout is measured again; without it a panelled view keeps its size.
    return view.resize().runAsync()
      .then(function () { return fit(view, figure, names, tries - 1); });
  }

  function refitOnResize(view, figure, names) {
    if (!window.ResizeObserver) return;
    var width = figure.clientWidth;
    new ResizeObserver(function () {
      if (figure.clientWidth !== width) {
        width = figure.clientWidth;
        fit(view, figure, names);
      }
    }).observe(figure);
  }

  function embed(figure) {
    var live = figure.querySelector(".chart-live");
    var spec = JSON.parse(figure.querySelector(".chart-spec").textContent);
    var vega = window.vega;
    // The spec is Vega, compiled from Vega-Lite at build time. Parsed with ast: true and run
    // by Vega's expression interpreter, no string is ever evaluated as code, so the page
    // needs no 'unsafe-eval'.
    var view = new vega.View(vega.parse(spec, null, { ast: true }), {
      renderer: "svg",
      container: live,
      hover: true,
      expr: vega.expressionInterpreter,
      // Its rules are in site.css, so the page needs no inline <style> (see the CSP).
      tooltip: new vega.TooltipHandler({ disableDefaultStyle: true }).call
    });
    return view.runAsync()
      .then(function () { return fit(view, figure, widthSignals(spec)); })
      .then(function () {
        showLive(figure, live);
        refitOnResize(view, figure, widthSignals(spec));
      })
      .catch(function (error) {
        figure.setAttribute("data-rendered", "failed");
        console.error("chart " + figure.id + " could not be made interactive:", error);
      });
  }

  function start() {
    if (!window.vega || !window.vega.expressionInterpreter) {
      console.error("the Vega runtime did not load; charts stay static");
      return;
    }
    document.querySelectorAll("figure.chart").forEach(embed);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
