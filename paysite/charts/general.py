"""The general chart kinds: charts a page declares in its front matter, for any dimension,
with no Python (vocabulary.GENERAL_KINDS lists them):

    charts:
      - name: pay_by_industry          # the chart's address and its downloads
        kind: figures                  # figures, premiums or counts
        dimension: industry            # the `dimension:` of a data file
        title: "ML and SWE pay by industry"
        measure: total_comp            # optional: one measure of that dimension
        statistic: median              # optional: one statistic

Each is drawn from the same parts as the charts written for this site (encodings, tables,
premiums), so it looks and reads the same.
"""

from __future__ import annotations

import dataclasses
import functools

import altair as alt

from ..claims import STAT_PREFERENCE
from ..errors import unknown
from ..model import Dataset, Figure, Table
from ..pages import Declared, Page
from ..text import group_label
from .base import ChartDataError, ChartKind, Drawn
from .encodings import (by_panel, figure_row, figure_tooltip, fixed_color,
                        item_rows, item_y, level_y, lines_axis, note, noted, number_axis, ordered,
                        place_y, range_and_points, span_and_point, sources_note, unique,
                        usd_axis, wrap_label)
from .premiums import premium_view
from .stated import LEVEL_COLUMN
from .tables import figure_table
from .theme import ANY_ROLE_COLORS

OTHER_ROLE = "#6B7280"
GROUP_TITLES = {"level": LEVEL_COLUMN, "city": "Place", "label": "Group", "none": "Group"}


def declared_kinds(pages: tuple[Page, ...]) -> dict[str, ChartKind]:
    """The charts pages declare, each as a chart kind reading its one dimension."""
    return {chart.name: ChartKind(chart.title, functools.partial(MAKERS[chart.kind], chart),
                                  reads=(chart.dimension,), declared=repr(chart))
            for page in pages for chart in page.declared}


def chosen(data: Dataset, chart: Declared) -> list[Figure]:
    """The figures a declared chart draws: its dimension's, of its measure and statistic
    when it names them, in one unit."""
    if chart.measure and chart.measure not in data.measures:
        raise ChartDataError(unknown("measure", chart.measure, data.measures))
    own = [f for f in data.figures if f.dimension == chart.dimension]
    figures = [f for f in own if chart.measure in (None, f.measure)
               and chart.statistic in (None, f.stat)]
    if not own:
        raise ChartDataError(f"no figure of data/ has `dimension: {chart.dimension}`")
    if not figures:
        wanted = " and ".join(f"{key}: {value}" for key, value in
                              (("measure", chart.measure), ("statistic", chart.statistic))
                              if value)
        raise ChartDataError(f"no figure of `dimension: {chart.dimension}` has {wanted}; its "
                             f"figures have measure: "
                             f"{', '.join(sorted({f.measure for f in own})) or 'none'} and "
                             f"statistic: {', '.join(sorted({f.stat for f in own})) or 'none'}")
    units = sorted({f.unit for f in figures})
    if len(units) > 1:
        raise ChartDataError(f"its figures come in {len(units)} units ({', '.join(units)}), "
                             f"which one axis cannot show: name one `measure:` of "
                             f"{', '.join(sorted({f.measure for f in figures}))}")
    return ordered(data, figures)


# What an axis title adds for each unit (dollars are in the tick labels; counts and ranks
# need nothing).
UNIT_WORDS = {"percent": " (%)", "percent_change": " (% change)", "days": " (days)",
              "months": " (months)", "years": " (years)"}


def value_axis(data: Dataset, figures: list[Figure]) -> alt.Axis:
    """The x axis for the chosen figures: dollars, or their measure's own numbers."""
    measures = sorted({data.measures[f.measure]["name"] for f in figures})
    title = measures[0] if len(measures) == 1 else "Value (each panel names its measure)"
    unit = figures[0].unit
    return usd_axis(title) if unit == "usd_per_year" else number_axis(
        title + UNIT_WORDS.get(unit, ""))


def marks_words(rows: list[dict]) -> str:
    """What the marks of a figures chart are, as far as it draws them."""
    kinds = [words for words, drawn in (
        ("bars span ranges", any(row["low"] is not None for row in rows)),
        ("points mark single figures", any(row["value"] is not None for row in rows))) if drawn]
    return " and ".join(kinds)


def grouped_rows(data: Dataset, figures: list[Figure]) -> tuple[list[dict], alt.Y]:
    """Chart rows for the figures, and the y axis of their groups: levels of the common
    ladder, places, the groups' own labels, or (whole-sample figures) what each figure is."""
    kind = data.group_kinds[figures[0].dimension]
    if kind == "none":
        rows = item_rows(data, figures)
        return rows, item_y(unique(rows, "item"))
    rows = [dict(figure_row(data, f), group=wrap_label(group_label(data, f.group)))
            for f in figures]
    if kind == "level":
        return rows, level_y(data)
    if kind == "city":
        return rows, place_y(data)
    return rows, alt.Y("group", type="nominal", sort=unique(rows, "group"), title=None,
                       axis=lines_axis())


def present_roles(rows: list[dict]) -> alt.Color:
    """Colour by role, in the site's colour for each role, the legend naming only the roles
    drawn (a role the palette lacks is grey)."""
    return fixed_color("role", {role: ANY_ROLE_COLORS.get(role, OTHER_ROLE)
                                for role in unique(rows, "role")})


def paneled(chart, rows: list[dict], **options):
    """One panel per source and measure when the rows have more than one; else the chart."""
    if len(unique(rows, "panel")) > 1:
        return by_panel(chart, rows, "panel", title=note(rows), **options)
    return noted(chart, rows)


def figures_chart(chart: Declared, data: Dataset, audit) -> Drawn:
    """A dimension's figures by group and role: ranges as bars, single figures as points."""
    figures = chosen(data, chart)
    rows, y = grouped_rows(data, figures)
    drawn = paneled(range_and_points(rows, y, value_axis(data, figures),
                                     color=present_roles(rows)), rows)
    return Drawn(drawn, stated_table(chart, data, figures),
                 f"One row per group, one colour per role: {marks_words(rows)}; the table "
                 f"below lists every figure.")


def counts_chart(chart: Declared, data: Dataset, audit) -> Drawn:
    """A dimension's counts or shares by group and role, as bars (a range as a bar from its
    bottom to its top), each panel on its own scale."""
    figures = chosen(data, chart)
    rows, y = grouped_rows(data, figures)
    base = alt.Chart().encode(y=y, yOffset=alt.YOffset("role", type="nominal"),
                              color=present_roles(rows), tooltip=figure_tooltip())
    bar = base.mark_bar(height=10)
    drawn = paneled(span_and_point(rows, bar, bar, value_axis(data, figures)), rows,
                    independent=("x", "y"))
    panels = len(unique(rows, "panel")) > 1
    return Drawn(drawn, stated_table(chart, data, figures),
                 "One bar per group and role" + ("; each source and measure has a panel of "
                                                 "its own, with its own scale." if panels
                                                 else "."))


def stated_table(chart: Declared, data: Dataset, figures: list[Figure]) -> Table:
    """The table of the figures a declared chart draws, as the sources state them."""
    caption = f"{chart.title}, as each source states it. {sources_note(data, sources(figures))}"
    return figure_table(data, figures, caption,
                        GROUP_TITLES[data.group_kinds[chart.dimension]])


def premiums_chart(chart: Declared, data: Dataset, audit) -> Drawn:
    """The ML premium by group, recomputed from each source's pair of figures of one
    measure, beside the premiums the sources' claims state for the same measure and groups."""
    figures = chosen(data, chart)
    measures = sorted({f.measure for f in figures})
    if len(measures) > 1:
        raise ChartDataError(f"its figures are of {len(measures)} measures "
                             f"({', '.join(measures)}), and a premium compares like with "
                             f"like: name one `measure:`")
    part = dataclasses.replace(data, figures=tuple(
        f for f in data.figures if f.dimension != chart.dimension or f in figures))
    stats = {f.stat for f in figures}
    claims = tuple(r for r in audit if r.claim.measure == measures[0] and r.claim.stat in stats)
    kind = data.group_kinds[chart.dimension]
    if kind == "level":
        y = level_y(data)
    elif kind == "city":
        y = place_y(data)
    else:  # premiums name other groups as places are named (text.premium_group)
        y = alt.Y("place", type="nominal", title=None, axis=lines_axis(), sort=list(
            dict.fromkeys(group_label(data, f.group) for f in figures)))
    drawn = premium_view(part, claims, chart.dimension, y, kind == "level", GROUP_TITLES[kind],
                         "group", figures[0].unit)
    if not drawn.table.rows:
        raise ChartDataError(
            f"no source gives an ML and a software figure of the same group and statistic, "
            f"of a statistic premiums are recomputed from ({', '.join(STAT_PREFERENCE)}); its "
            f"figures' statistics: {', '.join(sorted(stats))}")
    return dataclasses.replace(drawn, table=dataclasses.replace(
        drawn.table, caption=f"{chart.title}. {drawn.table.caption}"))


def sources(figures: list[Figure]) -> list[str]:
    """The sources of the figures, each once."""
    return list(dict.fromkeys(f.source for f in figures))


MAKERS = {"figures": figures_chart, "premiums": premiums_chart, "counts": counts_chart}
