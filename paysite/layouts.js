// Drawing one chart at each layout width, inside vl-convert's JavaScript engine.
//
// paysite/layouts.py registers this module as a Vega plugin (vl-convert calls its default
// export with the Vega module when its engine starts) and hands it a spec whose one signal,
// "paysite_layouts", carries the plan: the chart's Vega spec, the layout widths and how to
// search for each layout's plot width. The chart's spec is parsed once. The search's tries
// lay a view out again at each plot width tried, which costs a fraction of a new view and
// needs no SVG; the SVG of each layout is drawn by a view made afresh at the plot width
// found, so that it is exactly what a view parsed at that width draws, as the browser's
// live view is (templates/assets/site.js). A view laid out again can differ from a new one
// by a pixel (Vega rounds the bounds of panels up, and a panel 60.00000000000001 px high
// rounds up or not depending on what was laid out before), and the live view would then
// move the page when it takes the SVG's place. Every other spec is drawn as Vega draws it.
//
// vl-convert returns what a view's toSVG gives, and reads it as SVG, so the layouts come
// back in one SVG: each layout's own <svg> after a "layout" comment, and the plot width
// found for each (or "none") in its data-plots attribute, in the order of the plan.

export default function (vega) {
  const toSVG = vega.View.prototype.toSVG;
  vega.View.prototype.toSVG = async function (scaleFactor) {
    const plan = planOf(this);
    if (!plan) return toSVG.call(this, scaleFactor);
    const runtime = vega.parse(plan.spec);
    const options = {renderer: "none", loader: this.loader(), logger: quieter(vega, this.logger())};
    const fresh = async width => {  // run as vl-convert runs a view it draws
      const view = new vega.View(runtime, options);
      plan.names.forEach(name => view.signal(name, width));
      await view.runAsync();
      try {  // vl-convert's workaround for https://github.com/vega/vega/issues/3481
        view.signal("geo_interval_init_tick", {});
      } catch (error) {  // no such signal: not a map
      }
      await view.runAsync();
      return {view, width, laidOutAgain: false};
    };
    let at = null;
    const drawn = [];
    try {
      at = await fresh(plan.widths[0] - plan.margin);  // the first try
      let line = [plan.margin, 1];
      for (const total of plan.widths) {
        const found = await layOut(at, plan, total, line);
        line = found.line;
        if (at.laidOutAgain || at.width !== found.width) {
          at.view.finalize();
          at = null;
          at = await fresh(found.width);
        }
        // The fit was measured on a view laid out again: a plot width is given to the
        // browser only if the view made afresh is as wide too.
        const fits = found.plot !== null && Math.abs(widthOf(at.view) - total) < 1;
        drawn.push({plot: fits ? found.plot : null, svg: await toSVG.call(at.view, scaleFactor)});
      }
    } finally {
      if (at) at.view.finalize();
    }
    return '<svg xmlns="http://www.w3.org/2000/svg" data-plots="' +
      drawn.map(d => d.plot === null ? "none" : d.plot).join(" ") + '">' +
      drawn.map(d => "<!--layout-->" + d.svg).join("") + "</svg>";
  };
}

// vl-convert's log for the views made here, less Vega's debug and info lines: it asks for
// them, and some come with each run of a view (a twentieth of the time), but the build never
// shows them. A logger of their own, so that vl-convert's keeps the level it was given.
function quieter(vega, log) {
  let level = vega.Warn;
  return {
    level(value) {
      if (!arguments.length) return level;
      level = Math.min(value, vega.Warn);
      return this;
    },
    error(...args) {
      if (level >= vega.Error) log.error(...args);
      return this;
    },
    warn(...args) {
      if (level >= vega.Warn) log.warn(...args);
      return this;
    },
    info() {
      return this;
    },
    debug() {
      return this;
    },
  };
}

// {spec, widths, names, margin, tries}: the chart's Vega spec, the layout widths in drawing
// order, the signals that hold the plot width, the margin guessed for the first layout, and
// the most tries per layout.
function planOf(view) {
  try {
    return view.signal("paysite_layouts");
  } catch (error) {  // "Unrecognized signal name": not a spec of ours
    return null;
  }
}

// Lay the view out at this plot width (unless it is at it already) and return how wide it
// is drawn.
async function drawnAt(at, names, width) {
  if (at.width !== width) {
    names.forEach(name => at.view.signal(name, width));
    at.view.resize();  // the layout is measured again; without it a panelled view keeps its size
    await at.view.runAsync();
    at.width = width;
    at.laidOutAgain = true;
  }
  return widthOf(at.view);
}

// How wide a view is drawn, axes, legends and padding included: the width its toSVG gives
// the SVG. Vega keeps it in a field of its own, _viewWidth, with no public reader.
function widthOf(view) {
  if (typeof view._viewWidth !== "number") {
    throw new Error("paysite/layouts.js: this Vega keeps no view._viewWidth; the layout " +
                    "search must learn how this Vega version measures a view");
  }
  const padding = view.padding();
  return view._viewWidth + padding.left + padding.right;
}

// Python's round(): a half goes to the even neighbour (Math.round takes it up). The search
// was first written in Python, and rounds as it did, so that it finds the same widths.
function roundHalfEven(value) {
  const down = Math.floor(value);
  const rest = value - down;
  if (rest !== 0.5) return Math.round(value);
  return down % 2 === 0 ? down : down + 1;
}

// The search for the plot width at which the chart is `total` px wide. The chart's width is
// taken to be views x plot + margin (`line`: the margin, and how many views side by side
// share the plot width, from the last layout). A legend or a tick label can make the margin
// move with the plot, so both are measured again after each try. Returns the plot width to
// draw, the plot width that fits (null when none does: the browser then fits its live view
// itself) and the line measured last, which the next layout starts from. When two plot
// widths give the same chart width, something else (a title, a legend, the chart's own
// width) sets it: the search stops there, keeping the wider plot.
async function layOut(at, plan, total, line) {
  let [margin, views] = line;
  let tried = null;
  let width = 0;
  for (let i = 0; i < plan.tries; i++) {
    width = Math.max(60, roundHalfEven((total - margin) / views));
    const drawn = await drawnAt(at, plan.names, width);
    if (Math.abs(drawn - total) < 1) {
      return {width, plot: width, line: [drawn - views * width, views]};
    }
    if (tried && tried.drawn === drawn) {
      const wider = tried.width > width ? tried : {width, drawn};
      return {width: wider.width, plot: null, line: [drawn - views * wider.width, views]};
    }
    if (tried && width !== tried.width) {  // whole views: a margin that moved is not a view
      views = Math.max(1, roundHalfEven((drawn - tried.drawn) / (width - tried.width)));
    }
    tried = {width, drawn};
    margin = drawn - views * width;
  }
  return {width, plot: null, line: [margin, views]};
}
