"""Layouts: each chart's Vega-Lite spec compiled to Vega once and drawn as SVG by vl-convert
at each layout width, cached on disk, across worker processes when there are many. The
search for each layout's plot width runs inside vl-convert's engine (layouts.js, loaded as a
Vega plugin): each chart parsed once, its tries laid out again in one view, each layout drawn
by a view made afresh at the width found.

Nothing here imports Altair: a worker that draws charts starts with vl-convert alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path

import vl_convert

from .drawing import fonts_digest
from .parallel import Batch, start_workers
from .serialise import write_whole


VEGA_LITE_VERSION = "6.4"


# vl-convert hands Vega-Lite's compiler notes ("Domains that should be unioned has
# conflicting sort properties. Sort will be set to true.") to Python's logging as warnings.
# They are about the chart code, which the tests check, not about an editor's input, and a
# real fault raises: a build prints only its own messages.
logging.getLogger("vl_convert").setLevel(logging.ERROR)
# Loading a plugin (layouts.js), the bundler vl-convert uses logs a line of its own at the
# error level ("tree-shaker; pass=1"). Nothing fails: it is not the build's to show.
logging.getLogger("swc_ecma_transforms_optimization").setLevel(logging.CRITICAL)


# The widths (CSS px) each chart's build-time SVG is laid out at: the text column on a 360 px
# phone, a middle one, and the widest column (46rem less padding). site.css shows the layout
# nearest the column and scales it to the column's width; none is scaled by less than 0.93
# or more than 1.4, so 12 px chart text stays between 11 and 17 px.
LAYOUT_WIDTHS = (328, 480, 704)


# The margin search, in JavaScript: a Vega plugin that vl-convert's engine loads.
PLUGIN_BYTES = Path(__file__).with_name("layouts.js").read_bytes()
PLUGIN = PLUGIN_BYTES.decode("utf-8")


# This module's code and the plugin as they were imported (a preview that runs on keeps the
# code it loaded).
DRAWING_CODE = hashlib.sha256(Path(__file__).read_bytes() + PLUGIN_BYTES).hexdigest()


class RenderCache:
    """Compiled Vega specs and SVGs, on disk under the hash of their inputs.

    A key covers everything the output depends on (the spec, the fonts, the vl-convert and
    Vega-Lite versions, the drawing code), so a hit returns exactly the bytes a fresh render
    would give.
    """

    def __init__(self, folder: Path | None, fonts_dir: Path):
        self.folder = folder
        # How a spec is drawn (this module's code) is part of the key: a change to the layout
        # widths or the margin search must not serve SVGs drawn the old way.
        self.salt = (f"vl-convert {vl_convert.__version__}; Vega-Lite {VEGA_LITE_VERSION}; "
                     f"fonts {fonts_digest(fonts_dir)}; drawing {DRAWING_CODE}")
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
        if self.folder:
            write_whole(self.folder / key[:2] / key, content)


def render_spec(spec_text: str) -> str:
    """Compile a Vega-Lite spec to Vega and draw it as SVG at each layout width:
    {"vega": ..., "svgs": [...], "plots": [...]}."""
    spec = Sized(json.loads(spec_text))
    svgs, plots = spec.layouts()
    return json.dumps({"vega": spec.for_browser(), "svgs": svgs, "plots": plots})


# The plot width a spec is compiled at, to be found in the compiled spec and replaced: a
# width no chart names of its own.
WIDTH_MARK = 997.5

# The names Vega-Lite gives the signals that hold a plot's width: "width" for a single view,
# "child_width" for panels, "childWidth" for views side by side or repeated, "concat_N_width"
# for stacked views (site.js sets the same).
WIDTH_SIGNAL = re.compile(r"^(((child|concat_\d+)_)?width|childWidth)$")


class Sized:
    """A Vega-Lite spec compiled to Vega once, drawn at any plot width.

    It is compiled with its plot width left as WIDTH_MARK, and the plot width is set where
    Vega-Lite put it (`plot_width_slots`), so no layout compiles the spec again
    (tests/test_incremental.py checks this is what compiling at that width gives, for every
    chart kind, and that every kind has such a place). A spec with no such place (a chart
    that names its own width, or a width under a name not known here) is drawn as compiled,
    the same for every layout."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.vega = vl_convert.vegalite_to_vega(plot_width(spec, WIDTH_MARK),
                                                vl_version=VEGA_LITE_VERSION)
        self.slots = plot_width_slots(self.vega)

    def layouts(self) -> tuple[list[str], list[int | None]]:
        """The SVG at each of LAYOUT_WIDTHS and the plot width that fits it (None where
        none does), drawn in one call to vl-convert, in which layouts.js searches for each
        plot width and draws each layout. A spec with no plot width to set is drawn once,
        as compiled, for every layout."""
        if not self.slots:
            svg = vl_convert.vegalite_to_svg(self.spec, vl_version=VEGA_LITE_VERSION)
            return [svg] * len(LAYOUT_WIDTHS), [None] * len(LAYOUT_WIDTHS)
        load_plugin()
        widest = sorted(LAYOUT_WIDTHS, reverse=True)
        plan = {"spec": self.vega, "widths": widest, "margin": MARGIN_GUESS, "tries": TRIES,
                "names": sorted({slot_name(slot) for slot in self.slots})}
        drawn = vl_convert.vega_to_svg({"signals": [{"name": PLAN_SIGNAL, "value": plan}]})
        found = re.match(r'<svg [^>]*data-plots="([^"]*)"', drawn)
        if found is None:
            raise RuntimeError(f"layouts.js did not draw the layouts (is it loaded, and does it "
                               f"read the {PLAN_SIGNAL!r} signal?): {drawn[:80]}")
        plots = [None if plot == "none" else int(plot) for plot in found.group(1).split()]
        svgs = drawn[:-len("</svg>")].split("<!--layout-->")[1:]
        by_width = dict(zip(widest, zip(svgs, plots)))
        return ([by_width[total][0] for total in LAYOUT_WIDTHS],
                [by_width[total][1] for total in LAYOUT_WIDTHS])

    def for_browser(self) -> dict:
        """The spec as compiled at its own width, for the browser, which sets the width it
        needs (templates/assets/site.js): with the theme's one default width, the compiled
        spec with that width set; otherwise the spec compiled again."""
        view = self.spec.get("config", {}).get("view", {})
        width = view.get("continuousWidth")
        if not self.slots or width is None or width != view.get("discreteWidth"):
            return vl_convert.vegalite_to_vega(self.spec, vl_version=VEGA_LITE_VERSION)
        set_plot_width(self.slots, width)
        return self.vega


def plot_width_slots(vega: dict) -> list[tuple[dict, str]]:
    """Where a compiled spec holds the plot width it was compiled at (WIDTH_MARK): the
    top-level width of a single view, or the value of a width signal."""
    slots = [(vega, "width")] if vega.get("width") == WIDTH_MARK else []
    return slots + [(signal, "value") for signal in vega.get("signals", ())
                    if WIDTH_SIGNAL.match(signal.get("name", ""))
                    and signal.get("value") == WIDTH_MARK]


def set_plot_width(slots: list[tuple[dict, str]], width: float) -> None:
    """Set the plot width of a compiled spec in each of its slots."""
    for holder, key in slots:
        holder[key] = width


def slot_name(slot: tuple[dict, str]) -> str:
    """The name of the signal a slot sets: a top-level width is Vega's "width" signal."""
    holder, key = slot
    return holder["name"] if key == "value" else "width"


# Axes, labels, legends and padding around a plot, in px, before one is measured: most
# charts' margin is near it, so the widest layout is usually laid out once or twice.
MARGIN_GUESS = 150

# Layouts tried for one width, at most: the first finds the margin, the second how many
# views share the width (and fits most charts), the rest close in on a margin that moved.
TRIES = 4


# The signal that carries a spec's layout plan to layouts.js (the margin search, run in
# vl-convert's engine as a Vega plugin).
PLAN_SIGNAL = "paysite_layouts"


def plot_width(spec: dict, width: float) -> dict:
    """The spec with every view's default width set to `width` (the theme sets it to
    CHART_WIDTH; a chart that names its own width keeps it)."""
    config = spec.get("config", {})
    view = {**config.get("view", {}), "continuousWidth": width, "discreteWidth": width}
    return {**spec, "config": {**config, "view": view}}


# A chart with a text mark: drawing it once starts vl-convert's JavaScript runtime, loads
# Vega and the fonts (about 0.07 s), so that the first real chart does not wait.
WARM_UP = {"width": 20, "height": 20,
           "marks": [{"type": "text", "encode": {"enter": {"text": {"value": "0"}}}}]}


# The most memory vl-convert's JavaScript engine may take in one process. With no limit, the
# engine collects garbage late and a renderer peaks near 190 MB drawing the site's charts;
# with this one it stays near 145 MB, no slower. A chart that needed more would fail with
# vl-convert's message naming the limit; after drawing all the site's charts the heap in use
# is about 26 MB (vl_convert.get_worker_memory_usage()).
V8_HEAP_MB = 256


def start_renderer(fonts_dir: str, fonts_digest: str = "") -> None:
    """Set up one rendering process: vl-convert starts once per process, not per chart. The
    fonts' digest is part of the workers' key only: workers started for other fonts (in a
    preview that runs on while a font file changes) are not used again."""
    # No data or image is ever fetched (a chart's data is inline), and a chart font that is
    # not installed stops the build rather than falling back to another font's widths.
    vl_convert.configure(max_v8_heap_size_mb=V8_HEAP_MB, allowed_base_urls=[],
                         missing_fonts="error", vega_plugins=[PLUGIN])
    vl_convert.register_font_directory(fonts_dir)
    vl_convert.vega_to_svg(WARM_UP)


def load_plugin() -> None:
    """Register layouts.js with vl-convert in a process that has no renderer set up (a test,
    a script); a renderer has it already."""
    if vl_convert.get_config()["vega_plugins"] != [PLUGIN]:
        vl_convert.configure(vega_plugins=[PLUGIN])
        vl_convert.vega_to_svg(WARM_UP)


# Below this many charts to draw, starting worker processes costs more than it saves.
PARALLEL_FROM = 8


def renderer_setup(fonts_dir: Path) -> tuple:
    """How a rendering process is set up: `start_renderer` with the fonts' folder and digest
    (the key under which started renderers are found)."""
    return start_renderer, (str(fonts_dir.resolve()), fonts_digest(fonts_dir))


def drawing(fonts_dir: Path, jobs: int) -> Batch:
    """A batch that draws specs (`render_spec`) as they are given: each handed at once to
    the renderers started for this build (`start_renderers`), or else all drawn together,
    across `jobs` processes when there are enough of them, when the results are asked for."""
    setup, setup_args = renderer_setup(fonts_dir)
    return Batch(render_spec, jobs, PARALLEL_FROM, setup, setup_args)


# Charts to make for each renderer started. A second renderer halves the drawing, but it
# costs its start-up and its first, slower charts (its JavaScript engine compiles as it goes),
# and it takes CPU from the build's own process on a machine of two cores. In turn against two
# renderers, one was faster with 6, 8 and 13 charts to make (5, 4 and 9 of them drawn: 0.84
# against 0.91 s, 0.80 against 0.85 s, 1.05 against 1.11 s), as fast with 23 to make and 13
# drawn (1.22 s), and slower with all 23 drawn (1.44 against 1.40 s).
CHARTS_PER_RENDERER = 16


def start_renderers(fonts_dir: Path, jobs: int, charts: int) -> None:
    """Start the rendering workers now, one for every CHARTS_PER_RENDERER charts to make but
    no more than one per job, so that they are ready (vl-convert loaded, a first chart drawn)
    when the charts' specs are made."""
    setup, setup_args = renderer_setup(fonts_dir)
    start_workers(jobs, setup, setup_args, needed=-(-charts // CHARTS_PER_RENDERER))
