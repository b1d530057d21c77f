"""Shared pieces of chart specs: data rows, colours, tooltips, axes and layers, and the
order figures are shown in.
"""

from __future__ import annotations

import textwrap
from typing import Callable, Iterable

import altair as alt

from ..claims import Premium, order_premiums, place_order, premiums
from ..model import Dataset, Figure
from ..readings import OPEN_QUALIFIERS, point_value
from ..text import format_figure, group_label, short_measure, source_names
from ..vocabulary import STATS
from .theme import MARK_STROKE, QUALIFIER_MARK, ROLE_COLORS


def figure_row(data: Dataset, fig: Figure) -> dict:
    """Flatten a figure into a chart data row."""
    return {
        "source": data.sources[fig.source]["short"], "role": data.roles[fig.role]["name"],
        "label": fig.group if fig.level else group_label(data, fig.group),
        "place": group_label(data, fig.group),
        "level": data.ladder[fig.level]["name"] if fig.level else None,
        "measure": data.measures[fig.measure]["name"], "stat": STATS[fig.stat],
        "value": fig.value, "low": fig.low, "high": fig.high,
        "stated": fig.as_stated, "figure": format_figure(fig, fig.unit),
        "panel": wrap_label(source_measure(data, fig), HEADER_LINE),
        **qualifier_fields(fig),
    }


def qualifier_fields(fig: Figure) -> dict:
    """Where a figure's qualifiers are drawn: the open end of a "+" or "over" figure, the
    ends of an approximate one; and whether it is a range of medians rather than of pay."""
    approximate = "approximate" in fig.qualifiers
    return {"open_at": point_value(fig, "high")
            if OPEN_QUALIFIERS & set(fig.qualifiers) else None,
            "approx_low": point_value(fig, "low") if approximate else None,
            "approx_high": fig.high if approximate else None,
            "medians": fig.stat == "median" and fig.low is not None}


NOTES = {  # a chart note's line for each kind of mark a chart draws
    "open_at": "► no upper limit: + or 'over', or a result resting on one",
    "any_value": "any value: both figures end in +, so they allow any premium",
    "approx_low": "○ ring: approximate, the source writes ~",
    "medians": "├─┤ thin capped line: a range of medians",
    "pay": "▬ thick bar: a range of pay",
}


def noted(chart, rows: list[dict]):
    """The chart with a note under it saying what its open ends, rings and capped lines
    mean, when it draws any."""
    title = note(rows)
    return chart if title is alt.Undefined else chart.properties(title=title)


def note(rows: list[dict]):
    """The note `noted` puts under a chart drawn from these rows, as Altair's TitleParams, or
    alt.Undefined when it draws nothing that needs one."""
    lines = [note for field, note in NOTES.items() if field != "pay"
             and any(row.get(field) not in (None, False) for row in rows)]
    if any(row.get("medians") for row in rows) and any(
            row.get("low") is not None and not row.get("medians") for row in rows):
        lines.append(NOTES["pay"])
    if not lines:
        return alt.Undefined
    return alt.TitleParams(lines, orient="bottom", anchor="start", fontSize=12,
                           fontWeight="normal", offset=10)


def qualifier_marks(rows: list[dict], base: alt.Chart, axis: alt.Axis) -> list:
    """Dark marks over a figure's qualified ends: a triangle just past an open end, a ring
    round each end of an approximate figure. Only the layers with something to draw."""
    base = base.encode(tooltip=figure_tooltip())
    x = lambda field: alt.X(field, type="quantitative", axis=axis)  # noqa: E731
    open_end = base.mark_point(shape="triangle-right", filled=True, size=120, xOffset=9,
                               opacity=1, color=QUALIFIER_MARK).encode(x=x("open_at"))
    ring = base.mark_point(shape="circle", filled=False, size=190, strokeWidth=2, opacity=1,
                           color=QUALIFIER_MARK)
    layers = ((open_end, "open_at"), (ring.encode(x=x("approx_low")), "approx_low"),
              (ring.encode(x=x("approx_high")), "approx_high"))
    return [layer for layer, field in layers if any(row.get(field) is not None for row in rows)]


AXIS_LINE, HEADER_LINE = 20, 30  # characters a line of an axis label, a panel title holds
LINES = "split(datum.label, '|')"  # a '|' in a label starts a new line


def wrap_label(text: str, width: int = AXIS_LINE) -> str:
    """Break a label into lines of at most `width` characters (a longer word keeps its own
    line), joined by '|', so that it is wrapped on a phone rather than cut with "…"."""
    text = text.replace(" – ", "\u00a0–\u00a0")  # a range stays on one line
    return "|".join(line for part in text.split("|")
                    for line in textwrap.wrap(part, width, break_long_words=False))


def line_step(labels: Iterable[str]) -> alt.Step:
    """A band for each label tall enough for its lines (see wrap_label)."""
    lines = max((label.count("|") + 1 for label in labels), default=1)
    return alt.Step(max(20, 15 * lines + 6))


def lines_axis(**options) -> alt.Axis:
    """An axis whose labels may run over several lines (see wrap_label)."""
    return alt.Axis(labelExpr=LINES, **options)


def fixed_color(field: str, colors: dict[str, str], **options) -> alt.Color:
    """Colour marks by a field, each value always in the same colour."""
    return alt.Color(field, type="nominal", title=None, **options,
                     scale=alt.Scale(domain=list(colors), range=list(colors.values())))


def role_color() -> alt.Color:
    """Colour marks by role, with the same two colours everywhere."""
    return fixed_color("role", ROLE_COLORS)


def nominal_tooltip(**titles: str) -> list:
    """Tooltip fields, each a nominal field with its title."""
    return [alt.Tooltip(field, type="nominal", title=title) for field, title in titles.items()]


def figure_tooltip() -> list:
    """Tooltip fields shared by figure charts."""
    return nominal_tooltip(source="Source", role="Role", label="Source's label",
                           stat="Statistic", figure="Figure")


def source_measure(data: Dataset, fig: Figure) -> str:
    """Label a figure by its source and measure: "US salary guide (national): total comp"."""
    measure = short_measure(data, fig.measure)
    return f"{data.sources[fig.source]['short']}: {measure[:1].lower()}{measure[1:]}"


def sources_note(data: Dataset, ids: Iterable[str]) -> str:
    """End a caption with the sources its figures come from: "Sources: A, B."."""
    ids = set(ids)
    return f"{'Source' if len(ids) == 1 else 'Sources'}: {source_names(data, ids)}."


def level_y(data: Dataset) -> alt.Y:
    """A y axis of the common ladder's levels, bottom to top."""
    return alt.Y("level", type="ordinal", sort=ladder_names(data), title=None)


def place_y(data: Dataset) -> alt.Y:
    """A y axis of places, in the order cities.yaml gives them."""
    return alt.Y("place", type="nominal", sort=place_names(data), title=None)


def role_y(**options) -> alt.Y:
    """A y axis of roles."""
    return alt.Y("role", type="nominal", title=None, **options)


def usd_axis(title: str = "USD per year", ticks: int = 4) -> alt.Axis:
    """An x axis of dollars a year, written short ($200k)."""
    return alt.Axis(format="$~s", tickCount=ticks, title=title)


def number_axis(title: str) -> alt.Axis:
    """An x axis of plain numbers (percent, months), as short as they allow: "~r" writes
    20 as "20", where "~g" at the precision Vega gives a tick step of 20 writes "2e+1"."""
    return alt.Axis(format="~r", tickCount=4, title=title)


def span_and_point(rows: list[dict], span: alt.Chart, point: alt.Chart, axis: alt.Axis,
                   point_field: str = "value", under: tuple = (),
                   over: list = ()) -> alt.LayerChart:
    """Spans from low to high and a mark at point_field, on one x axis, over any `under`
    layers and under any `over` ones. A layer with nothing to draw is left out: it would
    give Vega an infinite extent.
    """
    spans = span.encode(x=alt.X("low", type="quantitative", axis=axis), x2=alt.X2("high"))
    points = point.encode(x=alt.X(point_field, type="quantitative", axis=axis))
    drawn = [layer for layer, field in ((spans, "low"), (points, point_field))
             if any(row.get(field) is not None for row in rows)]
    return alt.layer(*under, *drawn, *over, data=alt.Data(values=rows))


def range_and_points(rows: list[dict], y: alt.Y, axis: alt.Axis, legend: bool = True,
                     color: alt.Color | None = None) -> alt.LayerChart:
    """Draw ranges of pay as thick bars, ranges of medians as thin capped lines, single
    figures as points, by role (or by `color`); open ends and approximate figures marked
    over them."""
    color = color or (role_color() if legend else fixed_color("role", ROLE_COLORS, legend=None))
    place = alt.Chart().encode(y=y, yOffset=alt.YOffset("role", type="nominal"))
    base = place.encode(color=color, tooltip=figure_tooltip())
    x = lambda field: alt.X(field, type="quantitative", axis=axis)  # noqa: E731
    pay = base.transform_filter("!datum.medians").mark_rule(strokeWidth=6, strokeCap="round")
    medians = base.transform_filter("datum.medians")
    span = {"x": x("low"), "x2": alt.X2("high")}
    layers = (
        (pay.encode(**span), lambda r: r["low"] is not None and not r["medians"]),
        (medians.mark_rule(strokeWidth=2).encode(**span), lambda r: r["medians"]),
        (medians.mark_tick(thickness=2, size=14).encode(x=x("low")), lambda r: r["medians"]),
        (medians.mark_tick(thickness=2, size=14).encode(x=x("high")), lambda r: r["medians"]),
        (base.mark_point(filled=True, size=80, stroke=MARK_STROKE, strokeWidth=1).encode(
            x=x("value"), shape=alt.Shape("stat", type="nominal", title=None)),
         lambda r: r["value"] is not None))
    drawn = [layer for layer, wanted in layers if any(wanted(row) for row in rows)]
    return alt.layer(*drawn, *qualifier_marks(rows, place, axis), data=alt.Data(values=rows))


def by_panel(chart, rows: list[dict], field: str, kind: str = "nominal",
             independent: tuple[str, ...] = ("y",), title=alt.Undefined) -> alt.FacetChart:
    """One panel per value of `field`, in the order the rows first give them; a '|' in a
    value starts a new line of its panel's title. `title`: the whole chart's (`note`)."""
    header = alt.Header(labelExpr="split(datum.value, '|')")
    row = alt.Row(field, type=kind, sort=unique(rows, field), title=None, header=header)
    scales = alt.ScaleResolveMap(**{channel: "independent" for channel in independent})
    # In one call: each later change to a faceted chart copies it whole (Altair makes the
    # panels' layered chart, and each of its layers, again).
    return chart.facet(row=row, resolve=alt.Resolve(scale=scales), title=title)


def unique(rows: list[dict], field: str) -> list:
    """A field's values in the order the rows first give them."""
    return list(dict.fromkeys(row[field] for row in rows))


def ladder_names(data: Dataset) -> list[str]:
    """The common ladder's level names, bottom to top."""
    return [level["name"] for level in data.ladder.values()]


def place_names(data: Dataset) -> list[str]:
    """City names in the order cities.yaml gives them."""
    return [city["name"] for city in data.cities.values()]


def ordered(data: Dataset, figures: Iterable[Figure]) -> list[Figure]:
    """Sort figures by source order, ladder or place order, then role."""
    sources = list(data.sources)
    return sorted(figures, key=lambda f: (
        sources.index(f.source), place_order(data, f.level, f.group), f.group, f.role,
        f.measure, f.stat, f.scope or ""))


def select(data: Dataset, dimension: str, units: Iterable[str] = ("usd_per_year",),
           measures: Iterable[str] | None = None) -> list[Figure]:
    """Pick one dimension's figures in the given units or measures, in display order."""
    units, measures = set(units), set(measures or ())
    return ordered(data, (f for f in data.figures if f.dimension == dimension
                          and (f.measure in measures if measures else f.unit in units)))


def ranked_premiums(data: Dataset, dimension: str, unit: str = "usd_per_year") -> list[Premium]:
    """A dimension's premiums, one per source and group, in display order."""
    return order_premiums(data, premiums(data.figures, dimension, unit))


def paired_rows(data: Dataset, found: list[Premium], **extra: Callable[[Figure], str]) -> list:
    """Chart rows for both figures of each premium, with extra fields computed per figure."""
    return [dict(figure_row(data, fig), center=fig.center,
                 **{name: make(fig) for name, make in extra.items()})
            for p in found for fig in (p.ml, p.swe)]


def item_rows(data: Dataset, figures: list[Figure]) -> list[dict]:
    """Chart rows labelled by what each figure is: "Total comp: median"."""
    return [dict(figure_row(data, f),
                 item=wrap_label(f"{short_measure(data, f.measure)}: {STATS[f.stat]}"))
            for f in figures]


def item_y(items: list[str]) -> alt.Y:
    """A y axis of figure descriptions, each whole, over as many lines as it needs."""
    return alt.Y("item", type="nominal", sort=items, title=None, axis=lines_axis())
