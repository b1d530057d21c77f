"""The SVG renderer: each chart's Vega-Lite spec compiled to Vega by vl-convert and drawn as
SVG at each layout width, through vl-convert's public functions; every drawing kept on disk
under the hash of everything that decides its bytes.

One fit rule, used here and nowhere else: a layout's plot width is the layout's width less
the chart's margin (axes, legends, padding: all but the plot), measured once per chart on a
drawing at the phone layout. The page's CSS scales each SVG to its column, and the browser
draws its live view at the plot width recorded here, set on the signals named here
(templates/assets/site.js), so the two are the same size.

Nothing here imports Altair.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import vl_convert

from .serialise import PACKAGE_DIGEST, files_digest, kept


VEGA_LITE_VERSION = "6.4"


# vl-convert hands Vega-Lite's compiler notes ("Domains that should be unioned has
# conflicting sort properties. Sort will be set to true.") to Python's logging as warnings.
# They are about the chart code, which the tests check, not about an editor's input, and a
# real fault raises: a build prints only its own messages.
logging.getLogger("vl_convert").setLevel(logging.ERROR)


# The widths (CSS px) each chart is drawn at: the text column on a 360 px phone, a middle
# one, and the widest column (46rem less padding). site.css shows the layout nearest the
# column and scales it to the column's width, so 12 px chart text stays between 11 and 17 px.
LAYOUT_WIDTHS = (328, 480, 704)

# The margin of a chart before it is measured: the phone layout is first drawn at its width
# less this.
MARGIN_GUESS = 150

# The narrowest plot drawn: below it a plot has no room for its marks.
SMALLEST_PLOT = 60


# The plot width a spec is compiled at, to be found in the compiled spec and replaced: a
# width no chart names of its own.
WIDTH_MARK = 997.5

# The names Vega-Lite gives the signals that hold a plot's width: "width" for a single view,
# "child_width" for panels, "childWidth" for views side by side or repeated, "concat_N_width"
# for stacked views. Those found in a spec are written into its page for the browser's live
# view (templates/assets/site.js), which knows no names of its own.
WIDTH_SIGNAL = re.compile(r"^(((child|concat_\d+)_)?width|childWidth)$")


# The most memory vl-convert's JavaScript engine may take. It draws in the build's own
# process, beside Altair; uncapped, the engine collects garbage late and the build's peak
# memory passes its budget (benchmarks/README.md). A chart that needed more would fail with
# vl-convert's message naming the limit.
V8_HEAP_MB = 128


def start(fonts_dir: Path) -> None:
    """Set vl-convert up for drawing: no data or image is ever fetched (a chart's data is
    inline), and a chart font that is not installed stops the build rather than falling back
    to another font's widths."""
    vl_convert.configure(allowed_base_urls=[], missing_fonts="error",
                         max_v8_heap_size_mb=V8_HEAP_MB)
    vl_convert.register_font_directory(str(Path(fonts_dir).resolve()))


def salt(fonts_dir: Path) -> str:
    """What decides a drawing's bytes besides its spec: the fonts, vl-convert's version and
    the Vega-Lite it compiles to, and every file of the generator."""
    return (f"fonts {files_digest(fonts_dir)}; vl-convert {vl_convert.__version__}; "
            f"Vega-Lite {VEGA_LITE_VERSION}; paysite {PACKAGE_DIGEST}")


def drawn(spec: dict, cache_dir: Path | None, salt_text: str) -> dict:
    """A spec drawn (`draw`): from the cache when it holds this spec under this salt, else
    drawn and kept there."""
    text = json.dumps(spec, sort_keys=True, allow_nan=False)
    return kept(cache_dir, f"{salt_text}\n{text}", lambda: draw(spec))


def draw(spec: dict) -> dict:
    """A Vega-Lite spec compiled and drawn at each of LAYOUT_WIDTHS:
    {"vega": the spec for the browser, "svgs": [...], "plots": [plot width of each],
    "signals": [the names the browser sets each layout's plot width by]}.
    A spec with no plot width to set (a chart that names its own width) is compiled as it is
    and drawn once, as compiled, for every layout."""
    vega = vl_convert.vegalite_to_vega(plot_width(spec, WIDTH_MARK), vl_version=VEGA_LITE_VERSION)
    slots = plot_width_slots(vega)
    if not slots:
        svg = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)
        return {"vega": vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION),
                "svgs": [svg] * len(LAYOUT_WIDTHS), "plots": [None] * len(LAYOUT_WIDTHS),
                "signals": []}
    narrowest = min(LAYOUT_WIDTHS)
    guess = max(SMALLEST_PLOT, narrowest - MARGIN_GUESS)
    margin = svg_width(drawn_at(vega, slots, guess)) - guess
    plots = [max(SMALLEST_PLOT, round(total - margin)) for total in LAYOUT_WIDTHS]
    svgs = [drawn_at(vega, slots, plot) for plot in plots]
    # A single view's width is the top-level "width", which Vega also names as a signal.
    signals = ["width" if holder is vega else holder["name"] for holder, _ in slots]
    return {"vega": for_browser(spec, vega, slots), "svgs": svgs, "plots": plots,
            "signals": signals}


def drawn_at(vega: dict, slots: list[tuple[dict, str]], width: float) -> str:
    """The compiled spec drawn as SVG at this plot width."""
    set_plot_width(slots, width)
    return vl_convert.vega_to_svg(vega)


def svg_width(svg: str) -> float:
    """How wide an SVG says it is drawn (its width attribute, in px)."""
    found = re.match(r'<svg [^>]*?width="([0-9.]+)"', svg)
    if found is None:
        raise ValueError(f"vl-convert drew an SVG with no width: {svg[:80]}")
    return float(found.group(1))


def for_browser(spec: dict, vega: dict, slots: list[tuple[dict, str]]) -> dict:
    """The spec as compiled at its own width, for the browser, which sets the plot width of
    the layout on show: with the theme's one default width, the compiled spec with that width
    set; otherwise the spec compiled again."""
    view = spec.get("config", {}).get("view", {})
    width = view.get("continuousWidth")
    if width is None or width != view.get("discreteWidth"):
        return vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION)
    set_plot_width(slots, width)
    return vega


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


def plot_width(spec: dict, width: float) -> dict:
    """The spec with every view's default width set to `width` (the theme sets it to
    CHART_WIDTH; a chart that names its own width keeps it)."""
    config = spec.get("config", {})
    view = {**config.get("view", {}), "continuousWidth": width, "discreteWidth": width}
    return {**spec, "config": {**config, "view": view}}
