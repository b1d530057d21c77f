"""Drawing: each chart's Altair spec compiled to Vega and drawn as SVG by vl-convert, once per
distinct spec (cached on disk), across worker processes when there are many.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Iterable

import vl_convert

from ..claims import Recomputed
from ..model import Dataset
from ..parallel import in_workers
from ..drawing import Chart
from .base import KINDS, ChartDataError, ChartFailures


VEGA_LITE_VERSION = "6.4"


# The widths (CSS px) each chart's build-time SVG is laid out at: the text column on a 360 px
# phone, a middle one, and the widest column (46rem less padding). site.css shows the layout
# nearest the column and scales it to the column's width; none is scaled by less than 0.93
# or more than 1.4, so 12 px chart text stays between 11 and 17 px.
LAYOUT_WIDTHS = (328, 480, 704)


# This module's code as it was imported (a preview that runs on keeps the code it loaded).
DRAWING_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


class RenderCache:
    """Compiled Vega specs and SVGs, on disk under the hash of their inputs.

    A key covers everything the output depends on (the spec, the fonts, the vl-convert and
    Vega-Lite versions, the drawing code), so a hit returns exactly the bytes a fresh render
    would give.
    """

    def __init__(self, folder: Path | None, fonts_dir: Path):
        self.folder = folder
        fonts = b"".join(p.read_bytes() for p in sorted(fonts_dir.glob("*.ttf")))
        # How a spec is drawn (this module's code) is part of the key: a change to the layout
        # widths or the margin search must not serve SVGs drawn the old way.
        drawing = DRAWING_CODE
        self.salt = (f"vl-convert {vl_convert.__version__}; Vega-Lite {VEGA_LITE_VERSION}; "
                     f"fonts {hashlib.sha256(fonts).hexdigest()}; drawing {drawing}")
        self.hits = self.misses = 0

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.salt}\n{text}".encode("utf-8")).hexdigest()

    def get(self, key: str) -> dict | None:
        """The drawn chart under this key, parsed, or None (a damaged entry is a miss: it is
        drawn again and replaced)."""
        path = self.folder / key[:2] / key if self.folder else None
        if path and path.is_file():
            try:
                found = json.loads(path.read_bytes())
            except ValueError:
                pass
            else:
                self.hits += 1
                return found
        self.misses += 1
        return None

    def put(self, key: str, content: bytes) -> None:
        if not self.folder:
            return
        path = self.folder / key[:2] / key
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, path)  # whole or absent, even if the build is killed


def render_spec(spec_text: str) -> str:
    """Compile a Vega-Lite spec to Vega and draw it as SVG at each layout width:
    {"vega": ..., "svgs": [...]}."""
    spec = json.loads(spec_text)
    # Compiled here so the browser only runs Vega, never the Vega-Lite compiler; the browser
    # then sets the plot's width to its column (templates/assets/site.js).
    vega_spec = vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION)
    drawn, margin = {}, MARGIN_GUESS
    for total in sorted(LAYOUT_WIDTHS, reverse=True):  # each layout starts from the last margin
        svg, margin, plot = svg_at(spec, total, margin)
        drawn[total] = (svg, plot)
    return json.dumps({"vega": vega_spec,
                       "svgs": [drawn[total][0] for total in LAYOUT_WIDTHS],
                       "plots": [drawn[total][1] for total in LAYOUT_WIDTHS]})


# Axes, labels, legends and padding around a plot, in px, before one is measured: most
# charts' margin is near it, so the widest layout is usually drawn once or twice.
MARGIN_GUESS = 150


def svg_at(spec: dict, total: int, margin: float) -> tuple[str, float, int | None]:
    """Draw a spec as SVG `total` px wide: its plot as wide as the margin around it leaves.
    A legend or a tick label can make the margin move with the plot, so it is measured
    again after each try. Returns the SVG, the last margin measured (the next layout starts
    from it) and the plot width that fits, or None when none does (a chart of fixed width):
    the browser draws its live view at that plot width at once (templates/assets/site.js)."""
    plot = total - margin
    for _ in range(3):
        width = max(60, round(plot))
        svg = vl_convert.vegalite_to_svg(plot_width(spec, width), vl_version=VEGA_LITE_VERSION)
        drawn = svg_width(svg)
        margin = drawn - width
        if abs(drawn - total) < 1:
            return svg, margin, width
        plot += total - drawn
    return svg, margin, None


def plot_width(spec: dict, width: float) -> dict:
    """The spec with every view's default width set to `width` (the theme sets it to
    CHART_WIDTH; a chart that names its own width keeps it)."""
    sized = copy.deepcopy(spec)
    view = sized.setdefault("config", {}).setdefault("view", {})
    view["continuousWidth"] = view["discreteWidth"] = max(60, round(width))
    return sized


def svg_width(svg: str) -> float:
    """The width an SVG is drawn at, from its opening tag."""
    return float(re.search(r'<svg[^>]*? width="([\d.]+)"', svg).group(1))


def start_renderer(fonts_dir: str) -> None:
    """Set up one rendering worker: vl-convert starts once per worker, not per chart."""
    vl_convert.register_font_directory(fonts_dir)


# Below this many charts to draw, starting worker processes costs more than it saves.
PARALLEL_FROM = 8


def render_specs(spec_texts: list[str], fonts_dir: Path, jobs: int) -> list[str]:
    """Render specs, across `jobs` worker processes when there are enough of them."""
    return in_workers(render_spec, spec_texts, jobs, PARALLEL_FROM,
                      setup=start_renderer, setup_args=(str(fonts_dir.resolve()),))


def spec_of(chart) -> dict:
    """A chart's Vega-Lite spec. Altair's check of the spec against the Vega-Lite schema
    takes more time than building the spec; the test suite runs it for every chart kind
    (tests/test_charts_valid.py), so the build does not."""
    return chart.to_dict(validate=False)


def make_charts(names: Iterable[str], data: Dataset, audit: tuple[Recomputed, ...],
                fonts_dir: Path, cache: RenderCache, jobs: int = 1) -> dict[str, Chart]:
    """Build each named chart once: spec and table here, SVG from the cache or rendered."""
    made, failures = {}, {}
    for name in sorted(set(names)):
        try:
            drawn = KINDS[name].make(data, audit)
            made[name] = (KINDS[name].title, drawn.description, spec_of(drawn.chart),
                          drawn.table)
        except ChartDataError as error:
            failures[name] = str(error)
        except Exception as error:  # a bug in a chart kind: one message, not a traceback
            failures[name] = (f"could not be drawn from this data ({type(error).__name__}: "
                              f"{error}); this is a bug in the chart's code: please report it")
    if failures:
        raise ChartFailures(failures)
    texts = {name: json.dumps(spec, sort_keys=True, allow_nan=False)
             for name, (_, _, spec, _) in made.items()}
    keys = {name: cache.key(text) for name, text in texts.items()}
    found = {name: cache.get(key) for name, key in keys.items()}
    missing = [name for name in made if found[name] is None]
    for name, rendered in zip(missing, render_specs([texts[n] for n in missing], fonts_dir,
                                                    jobs)):
        cache.put(keys[name], rendered.encode("utf-8"))
        found[name] = json.loads(rendered)
    return {name: Chart(name, title, description, spec, found[name]["vega"],
                        tuple(found[name]["svgs"]), table, tuple(found[name]["plots"]))
            for name, (title, description, spec, table) in made.items()}
