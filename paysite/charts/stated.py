"""Charts of figures as the sources state them: ranges as spans, single figures as points."""

from __future__ import annotations

import altair as alt

from ..model import Dataset, Figure
from ..text import format_figure, format_number, format_percent, group_name, short_measure
from ..vocabulary import UNITS
from .base import Drawn, Table, chart_kind
from .encodings import (HEADER_LINE, by_panel, figure_row, figure_tooltip, item_rows, item_y,
                        level_y, line_step, lines_axis, note, noted, number_axis, ordered,
                        paired_rows, place_y, qualifier_marks, range_and_points,
                        ranked_premiums, role_color, role_y, select, source_measure,
                        sources_note, span_and_point, unique, usd_axis, wrap_label)
from .tables import figure_table, premium_table
from .theme import MARK_STROKE

LEVEL_COLUMN = "Level (source's label)"


@chart_kind("pay_by_level", "ML and SWE pay by level, each source on the common ladder",
            reads=("experience",))
def pay_by_level(data: Dataset, audit) -> Drawn:
    """Per source, the pay range or median of each role at each common level."""
    figures = [f for f in select(data, "experience") if f.side in ("mle", "swe")]
    rows = [figure_row(data, f) for f in figures]
    chart = by_panel(range_and_points(rows, level_y(data), usd_axis()), rows, "panel",
                     title=note(rows))
    caption = (f"Pay by experience level as each source states it. "
               f"{sources_note(data, (f.source for f in figures))}")
    return Drawn(chart, figure_table(data, figures, caption, LEVEL_COLUMN),
                 "Ranges and medians of ML-engineer and software-engineer pay per level for "
                 "each source; the table below lists every figure.")


@chart_kind("pay_by_city", "ML and SWE median pay by city", reads=("location",))
def pay_by_city(data: Dataset, audit) -> Drawn:
    """Per city, the median total compensation of each role (often a range of medians)."""
    figures = [f for f in select(data, "location") if f.side in ("mle", "swe")]
    rows = [figure_row(data, f) for f in figures]
    chart = noted(range_and_points(rows, place_y(data),
                                   usd_axis("Median total compensation (USD per year)")), rows)
    caption = (f"Median total compensation by city. "
               f"{sources_note(data, (f.source for f in figures))}")
    return Drawn(chart, figure_table(data, figures, caption, "Place"),
                 "Thin capped lines span each city's stated range of medians for ML and "
                 "software engineers (not a range of pay); points mark single medians.")


@chart_kind("ladder_overview", "All sources on one ladder: ML and SWE pay at each level",
            reads=("experience",))
def ladder_overview(data: Dataset, audit) -> Drawn:
    """Each source's ML and SWE pay per common level, one mark per source and role."""
    found = ranked_premiums(data, "experience")
    rows = paired_rows(data, found, who=lambda f: source_measure(data, f),
                       slot=lambda f: f"{source_measure(data, f)} {f.role}")
    base = alt.Chart().encode(
        y=level_y(data), color=role_color(), tooltip=figure_tooltip(),
        yOffset=alt.YOffset("slot", type="nominal", sort=unique(rows, "slot")))
    point = base.mark_point(filled=True, size=55, stroke=MARK_STROKE, strokeWidth=0.6).encode(
        shape=alt.Shape("who", type="nominal", sort=unique(rows, "who"), title=None))
    place = alt.Chart().encode(y=level_y(data), yOffset=base.encoding.yOffset)
    chart = noted(span_and_point(rows, base.mark_rule(strokeWidth=3), point, usd_axis(ticks=5),
                                 point_field="center",
                                 over=qualifier_marks(rows, place, usd_axis(ticks=5))
                                 ).properties(height=alt.Step(9)), rows)
    caption = (f"ML and SWE pay per common level, each source's own statistic (median where "
               f"given, else the midpoint of its range). "
               f"{sources_note(data, (p.source for p in found))}")
    return Drawn(chart, premium_table(data, found, audit, "experience", caption, LEVEL_COLUMN),
                 "Per level, one line per source and role: the bar spans the source's range, "
                 "the symbol (its shape names the source) marks the median or midpoint.")


@chart_kind("pay_by_employer", "Pay by kind of employer, level by level",
            reads=("experience",))
def pay_by_employer(data: Dataset, audit) -> Drawn:
    """Per common level, each source's (so each employer type's) ML and SWE pay."""
    found = ranked_premiums(data, "experience")
    # Base salary (start-ups) and total compensation (the others) share the dollar axis: each
    # row names its measure.
    def employer(fig: Figure) -> str:
        source = data.sources[fig.source]
        return wrap_label(f"{source.get('employer', source['short'])} "
                          f"({short_measure(data, fig.measure).lower()})")
    rows = paired_rows(data, found, employer=employer)
    y = alt.Y("employer", type="nominal", title=None, sort=unique(rows, "employer"),
              axis=lines_axis())
    chart = by_panel(range_and_points(rows, y, usd_axis()), rows, "level", "ordinal",
                     title=note(rows))
    figures = [f for p in found for f in (p.ml, p.swe)]
    caption = (f"ML and SWE pay per level and kind of employer (each source covers one kind). "
               f"{sources_note(data, (f.source for f in figures))}")
    return Drawn(chart, figure_table(data, ordered(data, figures), caption, LEVEL_COLUMN),
                 "One panel per level; within it, one row per kind of employer, with the ML "
                 "and SWE figures that source gives. The axis holds two measures: each row "
                 "names its own, base salary or total compensation.")


@chart_kind("equity_by_level", "Startup equity by level", reads=("equity",))
def equity_by_level(data: Dataset, audit) -> Drawn:
    """Target equity ranges per level and role."""
    figures = select(data, "equity", units=["percent"])
    rows = [figure_row(data, f) for f in figures]
    chart = noted(range_and_points(rows, level_y(data),
                                   number_axis("Equity (% of the company)")), rows)
    found = ranked_premiums(data, "equity", unit="percent")
    caption = (f"Target equity per level, and how much larger the ML grant is (ratio of range "
               f"midpoints). {sources_note(data, (f.source for f in figures))}")
    return Drawn(chart, premium_table(data, found, audit, "equity", caption, LEVEL_COLUMN),
                 "Bars span the target equity range for each role at each level.")


@chart_kind("base_vs_total", "Base salary against total compensation",
            reads=("distribution",), measures=("base_salary",))
def base_vs_total(data: Dataset, audit) -> Drawn:
    """A source's base-salary range next to its total-compensation statistics."""
    figures = [f for f in select(data, "distribution", measures=["base_salary", "total_comp"])
               if any(g.source == f.source and g.measure == "base_salary"
                      for g in data.figures)]
    rows = item_rows(data, figures)
    chart = noted(range_and_points(rows, item_y(unique(rows, "item")), usd_axis()), rows)
    caption = (f"Base salary and total compensation for the whole sample. "
               f"{sources_note(data, (f.source for f in figures))}")
    return Drawn(chart, figure_table(data, figures, caption, "Group"),
                 "Bars span ranges, points mark single figures. The base-salary ranges and "
                 "the total-compensation figures come from different data, so one is not a "
                 "share of the other.")


@chart_kind("pay_distribution", "Averages, medians, percentiles and ranges, per source",
            reads=("distribution",))
def pay_distribution(data: Dataset, audit) -> Drawn:
    """Every whole-sample pay statistic, one panel per source."""
    figures = select(data, "distribution")
    rows = [dict(row, panel=wrap_label(data.sources[fig.source]["short"], HEADER_LINE))
            for row, fig in zip(item_rows(data, figures), figures)]
    chart = by_panel(range_and_points(rows, item_y(unique(rows, "item")), usd_axis()),
                     rows, "panel", title=note(rows))
    caption = (f"Whole-sample pay statistics as each source states them. "
               f"{sources_note(data, (f.source for f in figures))}")
    return Drawn(chart, figure_table(data, figures, caption, "Group"),
                 "One panel per source; each row is one statistic, with bars for ranges and "
                 "points for single figures.")


@chart_kind("specialisation_pay", "Software specialisations against ML pay, same level",
            reads=("experience", "specialisation"))
def specialisation_pay(data: Dataset, audit) -> Drawn:
    """Specialised SWE bands next to the ML and general SWE bands at the same level."""
    special = select(data, "specialisation")
    keys = {(f.source, f.level, f.measure, f.stat) for f in special}
    general = [f for f in select(data, "experience")
               if (f.source, f.level, f.measure, f.stat) in keys]
    figures = ordered(data, general) + special
    rows = [dict(figure_row(data, f), band=band_name(f), center=f.center) for f in figures]
    base = alt.Chart().encode(y=alt.Y("band", type="nominal", sort=[r["band"] for r in rows],
                                      title=None), color=role_color(), tooltip=figure_tooltip())
    chart = span_and_point(rows, base.mark_rule(strokeWidth=8, strokeCap="round"),
                           base.mark_tick(color=MARK_STROKE, thickness=2, size=14),
                           usd_axis("Total compensation (USD per year)"), point_field="center")
    levels = ", ".join(sorted({f.group for f in figures}))
    caption = (f"Total-compensation bands at one level ({levels}): ML engineers, general "
               f"software engineers and specialised software engineers. "
               f"{sources_note(data, (f.source for f in figures))}")
    return Drawn(chart, specialisation_table(data, figures, general, caption),
                 "Bars span each band; the dark tick marks its midpoint.")


def band_name(fig: Figure) -> str:
    """Name a pay band: the specialisation, or the general role it is compared with."""
    if fig.dimension == "specialisation":
        return fig.scope or fig.group
    return "General SWE" if fig.role == "swe" else "ML engineer"


def specialisation_table(data: Dataset, figures: list[Figure], general: list[Figure],
                         caption: str) -> Table:
    """Each band with its midpoint, against the general SWE and the ML band's midpoints."""
    reference = {f.role: f for f in general}
    rows = tuple(
        (band_name(f), group_name(data, f), format_figure(f, f.unit),
         format_number(f.center, f.unit),
         *(format_percent(*[(f.center / reference[r].center - 1) * 100] * 2)
           if r in reference else "not given" for r in ("swe", "mle")), f.as_stated)
        for f in figures)
    return Table(caption, ("Band", LEVEL_COLUMN, "Figure", "Midpoint",
                           "Midpoint vs general SWE", "Midpoint vs ML", "As stated"), rows)


@chart_kind("postings_growth", "How fast postings grow", reads=("demand",))
def postings_growth(data: Dataset, audit) -> Drawn:
    """Stated annual growth of job postings per role."""
    growth = select(data, "demand", units=["percent_change"])
    rows = [figure_row(data, f) for f in growth]
    chart = noted(range_and_points(rows, role_y(),
                                   number_axis("Growth in postings per year (%)")), rows)
    horizons = select(data, "demand", units=["year"])
    caption = (f"Growth of postings per year, and how far the cited employment projections "
               f"run. {sources_note(data, (f.source for f in growth + horizons))}")
    return Drawn(chart, figure_table(data, growth + horizons, caption, "Group"),
                 "Bars span the stated yearly growth range of job postings for each role.")


def lowered(name: str) -> str:
    """A name inside a label: its first letter lower case, "SWE" kept."""
    return name[:1].lower() + name[1:]


@chart_kind("switch_time", "How long a switch from software to ML takes", reads=("switch",))
def switch_time(data: Dataset, audit) -> Drawn:
    """Each source's estimate of the months a switch takes."""
    months = select(data, "switch", units=["months"])
    # Months of learning and months until the pay gain arrives share the axis: each row names
    # what it counts.
    rows = [dict(figure_row(data, f), who=wrap_label(
        f"{data.sources[f.source]['short']}: {lowered(data.measures[f.measure]['name'])}", 28))
            for f in months]
    y = alt.Y("who", type="nominal", title=None, sort=unique(rows, "who"), axis=lines_axis())
    drawn = range_and_points(rows, y, number_axis("Months (each row says what it counts)"),
                             legend=False)
    # Each source's row as tall as its name's lines, so two names never run together.
    chart = noted(drawn.properties(height=line_step(row["who"] for row in rows)), rows)
    rest = [f for f in select(data, "switch", units=list(UNITS)) if f.unit != "months"]
    caption = (f"What the sources say about switching from software to ML engineering. "
               f"{sources_note(data, (f.source for f in months + rest))}")
    return Drawn(chart, figure_table(data, months + rest, caption, "Move"),
                 "Bars span the months each source gives. The axis holds two measures, each "
                 "row named by its own: time to learn and switch, and time until a switch "
                 "pays its gain.")
