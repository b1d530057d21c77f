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
    // ast: true makes Vega interpret expressions instead of compiling them with eval,
    // so the page needs no 'unsafe-eval'.
    // The spec is Vega, compiled from Vega-Lite at build time.
    return window.vegaEmbed(live, spec, { mode: "vega", actions: false, ast: true, renderer: "svg" })
      .then(function () { showLive(figure, live); })
      .catch(function (error) {
        figure.setAttribute("data-rendered", "failed");
        console.error("chart " + figure.id + " could not be made interactive:", error);
      });
  }

  function start() {
    if (typeof window.vegaEmbed !== "function") {
      console.error("the Vega bundle did not load; charts stay static");
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
