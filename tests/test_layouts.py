"""Drawing a chart at each layout width (paysite/layouts.py), with vl-convert for real: the
plot width found for each layout, charts of every arrangement, and charts whose width is set
by something other than their plot."""

import json
import re

import pytest
import vl_convert

from conftest import ROOT
from paysite import layouts

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
}
# Two views side by side share the width: each try moves the chart by twice the plot's
# change, and the search finds that out after its second try.
SIDE_BY_SIDE = {"side by side": {"hconcat": [BARS, BARS]},
                "panels in two columns": {**ARRANGEMENTS["panels"], "columns": 2}}
ARRANGEMENTS.update(SIDE_BY_SIDE)


@pytest.fixture(scope="module", autouse=True)
def fonts():
    vl_convert.register_font_directory(str(ROOT / "templates" / "fonts"))


def drawn(spec: dict) -> dict:
    return json.loads(layouts.render_spec(json.dumps({**spec, "config": THEME})))


def direct(spec: dict, width: int) -> str:
    """The SVG vl-convert draws from the Vega-Lite spec compiled at that plot width."""
    sized = layouts.plot_width({**spec, "config": THEME}, width)
    return vl_convert.vegalite_to_svg(sized, vl_version=layouts.VEGA_LITE_VERSION)


def svg_width(svg: str) -> float:
    """The width an SVG is drawn at, from its opening tag."""
    return float(re.search(r'<svg[^>]*? width="([\d.]+)"', svg).group(1))


@pytest.mark.parametrize("arrangement", sorted(ARRANGEMENTS))
def test_every_arrangement_is_laid_out_at_each_width(arrangement):
    spec = ARRANGEMENTS[arrangement]
    result = drawn(spec)
    for total, svg, plot in zip(layouts.LAYOUT_WIDTHS, result["svgs"], result["plots"]):
        assert plot is not None and abs(svg_width(svg) - total) < 1
        assert svg == direct(spec, plot)  # compiled once, drawn as if compiled at that width
    compiled = vl_convert.vegalite_to_vega({**spec, "config": THEME},
                                           vl_version=layouts.VEGA_LITE_VERSION)
    assert result["vega"] == compiled


def test_a_chart_that_names_its_own_width_keeps_it():
    spec = {**BARS, "width": 200}
    result = drawn(spec)
    assert result["plots"] == [None] * len(layouts.LAYOUT_WIDTHS)
    assert len(set(result["svgs"])) == 1 and result["svgs"][0] == direct(spec, 300)


def test_a_title_wider_than_the_layout_keeps_the_widest_plot_tried():
    """The title sets the chart's width whatever the plot's: the second try (a narrower plot)
    leaves the chart as wide, so the search stops and keeps the first, wider plot."""
    spec = {**BARS, "title": "A title far wider than any layout " * 6}
    result = drawn(spec)
    first = max(layouts.LAYOUT_WIDTHS) - layouts.MARGIN_GUESS
    assert result["plots"] == [None] * len(layouts.LAYOUT_WIDTHS)
    assert all(svg_width(svg) > max(layouts.LAYOUT_WIDTHS) for svg in result["svgs"])
    assert result["svgs"][-1] == direct(spec, first)  # the widest layout's first try


def test_the_search_rounds_a_half_to_even():
    """layouts.js rounds as Python's round() does, as the search did when it was written in
    Python: here two views share the width and the margin is odd, so a try lands on a half
    (296.5 px), which rounds to 296, not 297. No plot width fits these views; the layouts
    keep the widths this search has always given them."""
    def labelled(labels: list[str]) -> dict:
        return {**BARS, "data": {"values": [{"x": 3 + i, "y": label}
                                            for i, label in enumerate(labels)]}}
    result = drawn({"hconcat": [labelled(["aaaaa", "bb"]), labelled(["c"])]})
    assert result["plots"] == [None] * len(layouts.LAYOUT_WIDTHS)
    assert [svg_width(svg) for svg in result["svgs"]] == [327, 479, 703]
