#!/usr/bin/env python3
"""Where the time goes before a page's first chart is live, in Debian's Chromium at 390 px:
loading and running the Vega runtime, parsing the chart's spec, making the view, its first
run (dataflow and SVG), and the swap of the build-time SVG for it.

    .venv/bin/python benchmarks/first_view.py [--runs 3] [--slowdown 4] [--pages a.html,b.html]

Each page is opened from a copy of the site without site.js (so nothing else runs); once it
has loaded (`loaded`: its load event), the steps site.js takes for the first chart are taken
one by one and timed: the runtime, `vega.parse`, the view (set to the plot width of the layout
on show), its first run, and the swap. site.js may then lay a view out again to fit its
layout (`fit`), which is not timed here. Prints one line per visit, in ms. Not part of the test suite: tests check behaviour.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from reader import CHROMIUM, VIEWPORT

ROOT = Path(__file__).resolve().parent.parent

STEPS = """async () => {
  const load = src => new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src; script.async = false; script.onload = resolve; script.onerror = reject;
    document.head.appendChild(script);
  });
  const t = [performance.now()];
  await Promise.all([load('assets/vega.min.js'), load('assets/vega-extras.js')]);
  t.push(performance.now());
  const figure = document.querySelector('figure.chart');
  const spec = JSON.parse(figure.querySelector('.chart-spec').textContent);
  const parsed = vega.parse(spec, null, {ast: true});
  t.push(performance.now());
  const live = figure.querySelector('.chart-live');
  const view = new vega.View(parsed, {renderer: 'svg', container: live, hover: true,
    expr: vega.expressionInterpreter,
    tooltip: new vega.TooltipHandler({disableDefaultStyle: true}).call});
  // As site.js does: the plot width the build found for the layout on show.
  const names = (spec.signals || []).map(s => s.name)
    .filter(name => /^((child|concat_\d+)_width|childWidth)$/.test(name));
  const shown = [...figure.querySelectorAll('.chart-static > div')]
    .find(layout => getComputedStyle(layout).display !== 'none');
  const plot = shown ? parseFloat(shown.getAttribute('data-plot')) : NaN;
  if (isFinite(plot)) (names.length ? names : ['width']).forEach(name => view.signal(name, plot));
  t.push(performance.now());
  await view.runAsync();
  t.push(performance.now());
  live.hidden = false;
  figure.querySelector('.chart-static').hidden = true;
  live.getBoundingClientRect();
  t.push(performance.now());
  const step = i => Math.round(t[i + 1] - t[i]);
  const loaded = performance.getEntriesByType('navigation')[0].loadEventEnd;
  return {loaded: Math.round(loaded), runtime: step(0), parse: step(1), view: step(2),
          run: step(3), swap: step(4)};
}"""


def without_site_js(site: Path, copy: Path) -> Path:
    """A copy of the site whose pages load no script of their own."""
    shutil.copytree(site, copy)
    for page in copy.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace('<script src="assets/site.js" defer></script>', ""),
                        encoding="utf-8")
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slowdown", type=int, default=4)
    parser.add_argument("--pages", default="experience.html,equity.html,claims.html")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        site = without_site_js(args.site, Path(folder) / "site")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for name in args.pages.split(","):
                for _ in range(args.runs):
                    context = browser.new_context(viewport=VIEWPORT)
                    page = context.new_page()
                    if args.slowdown > 1:
                        context.new_cdp_session(page).send(
                            "Emulation.setCPUThrottlingRate", {"rate": args.slowdown})
                    page.goto((site / name).as_uri(), wait_until="load")
                    print(name, page.evaluate(STEPS))
                    context.close()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
