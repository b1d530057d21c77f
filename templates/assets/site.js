// Turn each chart's build-time SVG into an interactive Vega view (tooltips, inputs), drawn at
// the plot width the build drew the layout on show at (its data-plot) and scaled to the
// column as that layout is, so the swap moves nothing on the page. The build decides every
// plot width (paysite/svg.py); nothing here measures or searches.
// The Vega runtime (521 KB) is fetched only when a chart comes near the window, or when the
// reader points at or tabs to one; each view is built when its chart comes near. Until
// then, and if anything fails, the build-time SVG stays: a failure never blanks a chart.
(function () {
  "use strict";

  var figures = [];
  // Where the runtime is: beside this script. (In the single-file edition the runtime is
  // inline and already loaded, and this script has no address.)
  var here = document.currentScript ? document.currentScript.src.replace(/[^/]*$/, "") : "";
  var RUNTIME = ["vega.min.js", "vega-extras.js"];
  // Fetch the runtime while a chart is still about two screens away, and build a view one
  // screen away, so a reader scrolling at a reading pace finds it live.
  var LOAD_MARGIN = "200% 0px";
  var BUILD_MARGIN = "100% 0px";
  var runtime = null;
  var queue = Promise.resolve();
  var started = [];

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false; // run in the order inserted: Vega before its extras
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  // The Vega runtime, fetched once, whichever chart asks first.
  function loadRuntime() {
    if (!runtime) {
      runtime = (window.vega ? Promise.resolve() : Promise.all(RUNTIME.map(function (name) {
        return loadScript(here + name);
      }))).then(function () {
        if (!window.vega || !window.vega.expressionInterpreter) {
          throw new Error("the Vega runtime did not load; charts stay static");
        }
        return window.vega;
      });
    }
    return runtime;
  }

  function showLive(figure, live) {
    var shown = figure.querySelector(".chart-static");
    // The view is the SVG's drawing, scaled alike, but the browser may measure a label a
    // pixel or two apart from the build: hold the SVG's place, so nothing below moves up.
    live.style.minHeight = shown.getBoundingClientRect().height + "px";
    live.hidden = false;
    shown.hidden = true;
    figure.setAttribute("data-rendered", "true");
    if (window.performance && performance.mark) performance.mark("chart-interactive");
  }

  // The signals that hold the plot's width, as the build found them in the compiled spec
  // (paysite/svg.py, the one place that knows their names); none for a chart that names its
  // own width.
  function plotSignals(figure) {
    return (figure.getAttribute("data-plot-signals") || "").split(" ").filter(Boolean);
  }

  // The build-time layout on show (site.css picks the one nearest the column), read from
  // the layouts' own style, which holds even once the SVGs are hidden.
  function shownLayout(figure) {
    var layouts = figure.querySelectorAll(".chart-static > div");
    for (var i = 0; i < layouts.length; i++) {
      if (getComputedStyle(layouts[i]).display !== "none") return layouts[i];
    }
    return null;
  }

  // Set the view's plot width to the one the build drew the layout on show at; a chart that
  // names its own width has none, and keeps its own.
  function plotOfLayout(view, figure, names) {
    var layout = shownLayout(figure);
    var plot = layout ? parseFloat(layout.getAttribute("data-plot")) : NaN;
    if (!isFinite(plot)) return false;
    names.forEach(function (name) { view.signal(name, plot); });
    return true;
  }

  // Between layouts the view scales with the column; when the column crosses to another
  // layout, the view is drawn again at that layout's plot width.
  // (The place held for the SVG is let go at the first change of width: the reader's own.)
  function followLayout(view, figure, names) {
    if (!window.ResizeObserver) return;
    var layout = shownLayout(figure);
    var width = figure.clientWidth;
    new ResizeObserver(function () {
      if (figure.clientWidth === width) return;
      width = figure.clientWidth;
      view.container().style.minHeight = "";
      var now = shownLayout(figure);
      if (now !== layout) {
        layout = now;
        // resize(): the layout is measured again; without it a panelled view keeps its size.
        if (plotOfLayout(view, figure, names)) view.resize().runAsync();
      }
    }).observe(figure);
  }

  function embed(vega, figure) {
    var live = figure.querySelector(".chart-live");
    var spec = JSON.parse(figure.querySelector(".chart-spec").textContent);
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
    var names = plotSignals(figure);
    plotOfLayout(view, figure, names);
    return view.runAsync().then(function () {
      showLive(figure, live);
      followLayout(view, figure, names);
    });
  }

  // Make one chart live, once: after the runtime, and after the views asked for before it
  // (one at a time, so the first chart asked for is the first ready, even on a slow phone).
  function start(figure) {
    if (started.indexOf(figure) >= 0) return;
    started.push(figure);
    queue = queue.then(loadRuntime).then(function (vega) { return embed(vega, figure); })
      .catch(function (error) {
        figure.setAttribute("data-rendered", "failed");
        console.error("chart " + figure.id + " could not be made interactive:", error);
      });
  }

  function whenNear(margin, act) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          act(entry.target);
        }
      });
    }, { rootMargin: margin });
    figures.forEach(function (figure) { observer.observe(figure); });
  }

  // A reader who points at, touches or tabs to a chart wants it now.
  function whenTouched(figure) {
    var now = function () { start(figure); };
    ["pointerover", "pointerdown", "focusin"].forEach(function (type) {
      figure.addEventListener(type, now, { once: true });
    });
  }

  function setUp() {
    figures = [].slice.call(document.querySelectorAll("figure.chart"));
    if (!figures.length) return;
    figures.forEach(whenTouched);
    if (window.IntersectionObserver) {
      // A runtime that fails to load is reported by each chart that needed it (start).
      whenNear(LOAD_MARGIN, function () { loadRuntime().catch(function () {}); });
      whenNear(BUILD_MARGIN, start);
    } else if (document.readyState === "complete") {
      figures.forEach(start);
    } else {
      window.addEventListener("load", function () { figures.forEach(start); });
    }
  }

  // In the single-file edition this script runs in <head>, before the charts are parsed.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
