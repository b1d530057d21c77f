"""The SVG renderer (paysite/svg.py), with vl-convert for real: each layout drawn at the plot
width the fit rule gives, charts of every arrangement, a chart that names its own width, and
the cache of drawings."""

import json
import re

import pytest
import vl_convert

from conftest import ROOT
from paysite import svg
from paysite.serialise import files_digest

BARS = {"data": {"values": [{"x": 3, "y": "a"}, {"x": 5, "y": "b"}]}, "mark": "bar",
        "encoding": {"x": {"field": "x", "type": "quantitative"},
                     "y": {"field": "y", "type": "nominal"}}}
THEME = {"view": {"continuousWidth": 300, "discreteWidth": 300}}
ARRANGEMENTS = {
    "single": BARS,
    "layered": {"layer": [BARS, {**BARS, "mark": "tick"}]},
    "stacked": {"vconcat": [BARS, BARS]},
    "repeated": {"repeat": ["x"], "spec": {**BARS, "encoding": {
        **BARS["encoding"], "x": {"field": {"repeat": "repeat"}, "type": "quantitative"}}}},
    "panels": {"data": BARS["data"], "facet": {"field": "y", "type": "nominal"}, "columns": 1,
               "spec": {"mark": "bar", "encoding": BARS["encoding"]}},
    "side by side": {"hconcat": [BARS, BARS]},
}
FONTS = ROOT / "templates" / "fonts"


@pytest.fixture(scope="module", autouse=True)
def fonts():
    svg.start(FONTS)


def themed(spec: dict) -> dict:
    return {**spec, "config": THEME}


def direct(spec: dict, width: int) -> str:
    """The SVG vl-convert draws from the Vega-Lite spec compiled at that plot width."""
    sized = svg.plot_width(themed(spec), width)
    return vl_convert.vegalite_to_svg(sized, vl_version=svg.VEGA_LITE_VERSION)


@pytest.mark.parametrize("arrangement", sorted(ARRANGEMENTS))
def test_each_layout_is_drawn_at_its_width_less_the_margin_measured_at_the_phone_layout(
        arrangement):
    spec = ARRANGEMENTS[arrangement]
    result = svg.draw(themed(spec))
    guess = min(svg.LAYOUT_WIDTHS) - svg.MARGIN_GUESS
    margin = svg.svg_width(direct(spec, guess)) - guess
    assert result["plots"] == [max(svg.SMALLEST_PLOT, round(total - margin))
                               for total in svg.LAYOUT_WIDTHS]
    # compiled once, each layout drawn as if compiled at its plot width
    assert result["svgs"] == [direct(spec, plot) for plot in result["plots"]]
    assert result["vega"] == vl_convert.vegalite_to_vega(themed(spec),
                                                         vl_version=svg.VEGA_LITE_VERSION)


@pytest.mark.parametrize("arrangement", ["single", "layered", "stacked", "panels"])
def test_a_chart_of_one_view_across_fills_each_layout(arrangement):
    result = svg.draw(themed(ARRANGEMENTS[arrangement]))
    assert [svg.svg_width(drawn) for drawn in result["svgs"]] == list(svg.LAYOUT_WIDTHS)


@pytest.mark.parametrize("arrangement", sorted(ARRANGEMENTS))
def test_the_signals_named_for_the_browser_hold_the_plot_width_of_the_spec_it_gets(arrangement):
    result = svg.draw(themed(ARRANGEMENTS[arrangement]))
    vega = result["vega"]
    held = {s["name"]: s.get("value") for s in vega.get("signals", ())}
    held.setdefault("width", vega.get("width"))  # a single view's width is top-level
    width = THEME["view"]["continuousWidth"]
    assert result["signals"] and all(held.get(name) == width for name in result["signals"])


def test_a_chart_that_names_its_own_width_keeps_it():
    spec = {**BARS, "width": 200}
    result = svg.draw(themed(spec))
    assert result["plots"] == [None] * len(svg.LAYOUT_WIDTHS) and result["signals"] == []
    assert len(set(result["svgs"])) == 1 and result["svgs"][0] == direct(spec, 300)


def cached_files(folder) -> list:
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def test_a_drawing_is_kept_under_its_spec_and_salt_and_given_back_unchanged(tmp_path):
    first = svg.drawn(themed(BARS), tmp_path, "salt one")
    [entry] = cached_files(tmp_path)
    assert json.loads((tmp_path / entry).read_bytes()) == first == svg.draw(themed(BARS))
    assert svg.drawn(themed(BARS), tmp_path, "salt one") == first
    assert cached_files(tmp_path) == [entry]
    svg.drawn(themed(BARS), tmp_path, "salt two")  # another salt: drawn and kept apart
    assert len(cached_files(tmp_path)) == 2


def test_a_damaged_drawing_is_drawn_again_and_replaced(tmp_path):
    first = svg.drawn(themed(BARS), tmp_path, "salt")
    [entry] = cached_files(tmp_path)
    (tmp_path / entry).write_text("{not json", encoding="utf-8")
    assert svg.drawn(themed(BARS), tmp_path, "salt") == first
    assert json.loads((tmp_path / entry).read_bytes()) == first


def test_the_salt_holds_the_fonts_the_renderer_and_every_file_of_the_package():
    salt = svg.salt(FONTS)
    assert re.fullmatch(
        rf"fonts {files_digest(FONTS)}; vl-convert {re.escape(vl_convert.__version__)}; "
        rf"Vega-Lite {re.escape(svg.VEGA_LITE_VERSION)}; "
        rf"paysite {files_digest(ROOT / 'paysite', skip=('__pycache__',))}", salt)


def test_the_files_digest_follows_any_file_but_compiled_bytecode(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "__pycache__").mkdir()
    first = files_digest(tmp_path, skip=("__pycache__",))
    (tmp_path / "__pycache__" / "a.pyc").write_bytes(b"\0")
    assert files_digest(tmp_path, skip=("__pycache__",)) == first
    (tmp_path / "layout.js").write_text("// a script\n")
    second = files_digest(tmp_path, skip=("__pycache__",))
    (tmp_path / "layout.js").write_text("// another\n")
    assert len({first, second, files_digest(tmp_path, skip=("__pycache__",))}) == 3
