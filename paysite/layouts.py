"""Layouts: each chart's Vega-Lite spec compiled to Vega once and drawn as SVG by vl-convert
at each layout width, cached on disk, across worker processes when there are many.

Nothing here imports Altair: a worker that draws charts starts with vl-convert alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import vl_convert

from .parallel import in_workers, start_workers


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
        self.salt = (f"vl-convert {vl_convert.__version__}; Vega-Lite {VEGA_LITE_VERSION}; "
                     f"fonts {hashlib.sha256(fonts).hexdigest()}; drawing {DRAWING_CODE}")
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
    {"vega": ..., "svgs": [...], "plots": [...]}.

    The spec is compiled once, its plot width left as WIDTH_MARK; each drawing sets that
    width in the Vega spec (Vega-Lite puts it in one place, `plot_width_slots`), so no
    drawing compiles the spec again."""
    spec = json.loads(spec_text)
    vega = vl_convert.vegalite_to_vega(plot_width(spec, WIDTH_MARK),
                                       vl_version=VEGA_LITE_VERSION)
    slots = plot_width_slots(vega)
    drawn, margin = {}, MARGIN_GUESS
    for total in sorted(LAYOUT_WIDTHS, reverse=True):  # each layout starts from the last margin
        svg, margin, plot = svg_at(vega, slots, total, margin)
        drawn[total] = (svg, plot)
    return json.dumps({"vega": browser_spec(spec, vega, slots),
                       "svgs": [drawn[total][0] for total in LAYOUT_WIDTHS],
                       "plots": [drawn[total][1] for total in LAYOUT_WIDTHS]})


def browser_spec(spec: dict, vega: dict, slots: list[tuple[dict, str]]) -> dict:
    """The spec as compiled at its own width, for the browser, which sets the width it needs
    (templates/assets/site.js). With the theme's one default width, that is the compiled spec
    with that width in its slots; otherwise the spec is compiled again."""
    view = spec.get("config", {}).get("view", {})
    width = view.get("continuousWidth")
    if (not slots or width is None or width != view.get("discreteWidth")
            or width != max(60, round(width))):  # not as plot_width would set it
        return vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION)
    set_plot_width(slots, width)
    return vega


# Axes, labels, legends and padding around a plot, in px, before one is measured: most
# charts' margin is near it, so the widest layout is usually drawn once or twice.
MARGIN_GUESS = 150

# The plot width a spec is compiled at, to be found in the compiled spec and replaced. No
# chart names this width of its own (a chart that names its width has no slot).
WIDTH_MARK = 997

# The names Vega-Lite gives the signals that hold a plot's width: "width" for a single view,
# "child_width" for panels, "concat_N_width" for stacked views (site.js sets the same).
WIDTH_SIGNAL = re.compile(r"^((child|concat_\d+)_)?width$")


def plot_width_slots(vega: dict) -> list[tuple[dict, str]]:
    """Where a compiled spec holds the plot width it was compiled at (WIDTH_MARK): the
    top-level width of a single view, or the value of a width signal."""
    slots = [(vega, "width")] if vega.get("width") == WIDTH_MARK else []
    return slots + [(signal, "value") for signal in vega.get("signals", ())
                    if WIDTH_SIGNAL.match(signal.get("name", ""))
                    and signal.get("value") == WIDTH_MARK]


def set_plot_width(slots: list[tuple[dict, str]], width: int) -> None:
    """Set the plot width of a compiled spec in each of its slots."""
    for holder, key in slots:
        holder[key] = width


def svg_at(vega: dict, slots: list[tuple[dict, str]], total: int,
           margin: float) -> tuple[str, float, int | None]:
    """Draw a compiled spec as SVG `total` px wide: its plot as wide as the margin around it
    leaves. A legend or a tick label can make the margin move with the plot, so it is
    measured again after each try. Returns the SVG, the last margin measured (the next layout
    starts from it) and the plot width that fits, or None when none does (a chart of fixed
    width, or one that something other than its plot makes wider): the browser draws its
    live view at that plot width at once (templates/assets/site.js)."""
    plot, tried = total - margin, None
    for _ in range(3 if slots else 1):
        width = max(60, round(plot))
        set_plot_width(slots, width)
        svg = vl_convert.vega_to_svg(vega)
        drawn = svg_width(svg)
        if abs(drawn - total) < 1:
            return svg, drawn - width, width
        if tried and tried[1] == drawn:  # a narrower plot left the chart as wide: keep the wider
            return tried[0], tried[1] - tried[2], None
        tried, margin = (svg, drawn, width), drawn - width
        plot += total - drawn
    return svg, margin, None


def plot_width(spec: dict, width: float) -> dict:
    """The spec with every view's default width set to `width` (the theme sets it to
    CHART_WIDTH; a chart that names its own width keeps it)."""
    config = spec.get("config", {})
    view = {**config.get("view", {}), "continuousWidth": max(60, round(width)),
            "discreteWidth": max(60, round(width))}
    return {**spec, "config": {**config, "view": view}}


def svg_width(svg: str) -> float:
    """The width an SVG is drawn at, from its opening tag."""
    return float(re.search(r'<svg[^>]*? width="([\d.]+)"', svg).group(1))


# A chart with a text mark: drawing it once starts vl-convert's JavaScript runtime, loads
# Vega and the fonts (about half a second), so that the first real chart does not wait.
WARM_UP = {"width": 20, "height": 20,
           "marks": [{"type": "text", "encode": {"enter": {"text": {"value": "0"}}}}]}


def start_renderer(fonts_dir: str) -> None:
    """Set up one rendering process: vl-convert starts once per process, not per chart."""
    vl_convert.register_font_directory(fonts_dir)
    vl_convert.vega_to_svg(WARM_UP)


# Below this many charts to draw, starting worker processes costs more than it saves.
PARALLEL_FROM = 8


def renderer_setup(fonts_dir: Path) -> tuple:
    return start_renderer, (str(fonts_dir.resolve()),)


def render_specs(spec_texts: list[str], fonts_dir: Path, jobs: int) -> list[str]:
    """Render specs, across `jobs` processes when there are enough of them; the longest
    specs (the most to draw) are handed out first, so that no process is left with a long
    one at the end."""
    setup, setup_args = renderer_setup(fonts_dir)
    order = sorted(range(len(spec_texts)), key=lambda i: (-len(spec_texts[i]), i))
    drawn = in_workers(render_spec, [spec_texts[i] for i in order], jobs, PARALLEL_FROM,
                       setup=setup, setup_args=setup_args)
    return [text for _, text in sorted(zip(order, drawn))]


def start_renderers(fonts_dir: Path, jobs: int) -> None:
    """Start the rendering workers now (while the build reads its inputs), so that they are
    ready when the charts' specs are."""
    setup, setup_args = renderer_setup(fonts_dir)
    start_workers(jobs, setup, setup_args)
