// Turn each chart's build-time SVG into an interactive Vega view (tooltips).
// The SVG stays visible until the view has rendered, so a failure never blanks a chart.
(function () {
  "use strict";

  function showLive(figure, live) {
    live.hidden = false;
    figure.querySelector(".chart-static").hidden = true;
    figure.setAttribute("data-rendered", "true");
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
      .then(function () { showLive(figure, live); })
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
