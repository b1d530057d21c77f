"""Charts of figures as the sources state them: ranges as spans, single figures as points."""

from __future__ import annotations

import altair as alt

from ..model import Dataset, Figure
from ..text import (format_figure, format_number, format_percent, group_name, short_measure,
                    source_names)
from ..vocabulary import UNITS
from .base import Table, chart_kind
from .encodings import (by_panel, figure_row, figure_tooltip, item_axis, item_rows,
                        ladder_names, ordered, paired_rows, place_names, range_and_points,
                        ranked_premiums, role_color, select)
from .tables import figure_table, premium_table
from .theme import CHART_WIDTH


@chart_kind("pay_by_level", "ML and SWE pay by level, each source on the common ladder")
def pay_by_level(data: Dataset, audit) -> tuple:
    """Per source, the pay range or median of each role at each common level."""
    figures = [f for f in select(data, "experience") if f.role in ("mle", "swe")]
    rows = [figure_row(data, f) for f in figures]
    y = alt.Y("level", type="ordinal", sort=ladder_names(data), title=None)
    chart = by_panel(range_and_points(rows, y, "USD per year", "$~s"), rows, "panel")
    caption = (f"Pay by experience level as each source states it. Sources: "
               f"{source_names(data, (f.source for f in figures))}.")
    description = ("Ranges and medians of ML-engineer and software-engineer pay per level "
                   "for each source; the table below lists every figure.")
    return chart, figure_table(data, figures, caption, "Level (source's label)"), description


@chart_kind("pay_by_city", "ML and SWE median pay by city")
def pay_by_city(data: Dataset, audit) -> tuple:
    """Per city, the median total compensation of each role (often a range of medians)."""
    figures = [f for f in select(data, "location") if f.role in ("mle", "swe")]
    rows = [figure_row(data, f) for f in figures]
    y = alt.Y("place", type="nominal", sort=place_names(data), title=None)
    chart = range_and_points(rows, y, "Median total compensation (USD per year)", "$~s")
    caption = (f"Median total compensation by city. Sources: "
               f"{source_names(data, (f.source for f in figures))}.")
    description = ("Bars span each city's stated range of medians for ML and software "
                   "engineers; points mark single figures.")
    return chart, figure_table(data, figures, caption, "Place"), description


@chart_kind("ladder_overview", "All sources on one ladder: ML and SWE pay at each level")
def ladder_overview(data: Dataset, audit) -> tuple:
    """Each source's ML and SWE pay per common level, one mark per source and role."""
    found = ranked_premiums(data, "experience")
    def who(fig: Figure) -> str:
        return f"{data.sources[fig.source]['short']}, {short_measure(data, fig.measure).lower()}"
    rows = paired_rows(data, found, who=who, slot=lambda f: f"{who(f)} {f.role}")
    whos = list(dict.fromkeys(r["who"] for r in rows))
    slots = list(dict.fromkeys(r["slot"] for r in rows))
    axis = alt.Axis(format="$~s", tickCount=5, title="USD per year")
    base = alt.Chart().encode(
        y=alt.Y("level", type="ordinal", sort=ladder_names(data), title=None),
        yOffset=alt.YOffset("slot", type="nominal", sort=slots), color=role_color(),
        tooltip=figure_tooltip())
    spans = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("low", type="quantitative", axis=axis), x2="high")
    marks = base.mark_point(filled=True, size=55, stroke="#111827", strokeWidth=0.6).encode(
        x=alt.X("center", type="quantitative", axis=axis),
        shape=alt.Shape("who", type="nominal", sort=whos, title=None))
    chart = alt.layer(spans, marks, data=alt.Data(values=rows)).properties(
        width=CHART_WIDTH, height=alt.Step(9))
    caption = (f"ML and SWE pay per common level, each source's own statistic (median where "
               f"given, else the midpoint of its range). Sources: "
               f"{source_names(data, (p.source for p in found))}.")
    description = ("Per level, one line per source and role: the bar spans the source's range, "
                   "the symbol (its shape names the source) marks the median or midpoint.")
    return (chart, premium_table(data, found, audit, "experience", caption,
                                 "Level (source's label)"), description)


@chart_kind("pay_by_employer", "Pay by kind of employer, level by level")
def pay_by_employer(data: Dataset, audit) -> tuple:
    """Per common level, each source's (so each employer type's) ML and SWE pay."""
    found = ranked_premiums(data, "experience")
    def employer(source: dict) -> str:
        return source.get("employer", source["short"])
    rows = paired_rows(data, found, employer=lambda f: employer(data.sources[f.source]))
    employers = [employer(s) for s in data.sources.values()]
    chart = by_panel(range_and_points(
        rows, alt.Y("employer", type="nominal", sort=employers, title=None),
        "USD per year", "$~s"), rows, "level", "ordinal")
    figures = [f for p in found for f in (p.ml, p.swe)]
    caption = (f"ML and SWE pay per level and kind of employer (each source covers one kind). "
               f"Sources: {source_names(data, (f.source for f in figures))}.")
    description = ("One panel per level; within it, one row per kind of employer, with the "
                   "ML and SWE figures that source gives.")
    return chart, figure_table(data, ordered(data, figures), caption,
                               "Level (source's label)"), description


@chart_kind("equity_by_level", "Startup equity by level")
def equity_by_level(data: Dataset, audit) -> tuple:
    """Target equity ranges per level and role."""
    figures = select(data, "equity", units=["percent"])
    rows = [figure_row(data, f) for f in figures]
    chart = range_and_points(
        rows, alt.Y("level", type="ordinal", sort=ladder_names(data), title=None),
        "Equity (% of the company)", "~g")
    found = ranked_premiums(data, "equity", unit="percent")
    caption = (f"Target equity per level, and how much larger the ML grant is (ratio of range "
               f"midpoints). Source: {source_names(data, (f.source for f in figures))}.")
    description = "Bars span the target equity range for each role at each level."
    return (chart, premium_table(data, found, audit, "equity", caption,
                                 "Level (source's label)"), description)


@chart_kind("base_vs_total", "Base salary against total compensation")
def base_vs_total(data: Dataset, audit) -> tuple:
    """A source's base-salary range next to its total-compensation statistics."""
    figures = [f for f in select(data, "distribution", measures=["base_salary", "total_comp"])
               if any(g.source == f.source and g.measure == "base_salary"
                      for g in data.figures)]
    rows = item_rows(data, figures)
    items = list(dict.fromkeys(r["item"] for r in rows))
    chart = range_and_points(rows, item_axis(items), "USD per year", "$~s")
    shares = base_shares(data, figures)
    caption = (f"Base salary and total compensation for the whole sample. Source: "
               f"{source_names(data, (f.source for f in figures))}.")
    description = ("Bars span ranges, points mark single figures. Base-salary midpoint as a "
                   "share of median total compensation: " + ", ".join(
                       f"{role} {share:.0f}%" for role, share in shares) + ".")
    return chart, figure_table(data, figures, caption, "Group"), description


def base_shares(data: Dataset, figures: list[Figure]) -> list[tuple[str, float]]:
    """Per role, the base-salary midpoint as a percent of median total compensation."""
    shares = []
    for role in ("mle", "swe"):
        base = [f for f in figures if f.role == role and f.measure == "base_salary"]
        total = [f for f in figures if f.role == role and f.measure == "total_comp"
                 and f.stat == "median"]
        if base and total:
            shares.append((data.roles[role]["name"], base[0].center / total[0].center * 100))
    return shares


@chart_kind("pay_distribution", "Averages, medians, percentiles and ranges, per source")
def pay_distribution(data: Dataset, audit) -> tuple:
    """Every whole-sample pay statistic, one panel per source."""
    figures = select(data, "distribution")
    rows = item_rows(data, figures)
    for row, fig in zip(rows, figures):
        row["panel"] = data.sources[fig.source]["short"]
    items = list(dict.fromkeys(r["item"] for r in rows))
    chart = by_panel(range_and_points(rows, item_axis(items), "USD per year", "$~s"),
                     rows, "panel")
    caption = (f"Whole-sample pay statistics as each source states them. Sources: "
               f"{source_names(data, (f.source for f in figures))}.")
    description = ("One panel per source; each row is one statistic, with bars for ranges "
                   "and points for single figures.")
    return chart, figure_table(data, figures, caption, "Group"), description


@chart_kind("specialisation_pay", "Software specialisations against ML pay, same level")
def specialisation_pay(data: Dataset, audit) -> tuple:
    """Specialised SWE bands next to the ML and general SWE bands at the same level."""
    special = select(data, "specialisation")
    keys = {(f.source, f.level, f.measure, f.stat) for f in special}
    general = [f for f in select(data, "experience")
               if (f.source, f.level, f.measure, f.stat) in keys]
    figures = ordered(data, general) + special
    def band(fig: Figure) -> str:
        if fig.dimension == "specialisation":
            return fig.scope or fig.group
        return "General SWE" if fig.role == "swe" else "ML engineer"
    rows = [dict(figure_row(data, f), band=band(f), center=f.center) for f in figures]
    bands = [r["band"] for r in rows]
    axis = alt.Axis(format="$~s", tickCount=4, title="Total compensation (USD per year)")
    base = alt.Chart().encode(y=alt.Y("band", type="nominal", sort=bands, title=None),
                              color=role_color(), tooltip=figure_tooltip())
    spans = base.mark_rule(strokeWidth=8, strokeCap="round").encode(
        x=alt.X("low", type="quantitative", axis=axis), x2="high")
    mids = base.mark_tick(color="#111827", thickness=2, size=14).encode(
        x=alt.X("center", type="quantitative", axis=axis))
    chart = alt.layer(spans, mids, data=alt.Data(values=rows)).properties(width=CHART_WIDTH)
    reference = {f.role: f for f in general}
    table_rows = tuple(
        (band(f), group_name(data, f), format_figure(f, f.unit),
         format_number(f.center, f.unit),
         *(format_percent(*[(f.center / reference[r].center - 1) * 100] * 2)
           if r in reference else "not given" for r in ("swe", "mle")), f.as_stated)
        for f in figures)
    levels = ", ".join(sorted({f.group for f in figures}))
    caption = (f"Total-compensation bands at one level ({levels}): ML engineers, general "
               f"software engineers and specialised software engineers. Source: "
               f"{source_names(data, (f.source for f in figures))}.")
    table = Table(caption, ("Band", "Level (source's label)", "Figure", "Midpoint",
                            "Midpoint vs general SWE", "Midpoint vs ML", "As stated"),
                  table_rows)
    description = "Bars span each band; the dark tick marks its midpoint."
    return chart, table, description


@chart_kind("postings_growth", "How fast postings grow")
def postings_growth(data: Dataset, audit) -> tuple:
    """Stated annual growth of job postings per role."""
    growth = select(data, "demand", units=["percent_change"])
    rows = [figure_row(data, f) for f in growth]
    chart = range_and_points(rows, alt.Y("role", type="nominal", title=None),
                             "Growth in postings per year (%)", "~g")
    horizons = select(data, "demand", units=["year"])
    caption = (f"Growth of postings per year, and how far the cited employment projections "
               f"run. Sources: {source_names(data, (f.source for f in growth + horizons))}.")
    description = "Bars span the stated yearly growth range of job postings for each role."
    return chart, figure_table(data, growth + horizons, caption, "Group"), description


@chart_kind("switch_time", "How long a switch from software to ML takes")
def switch_time(data: Dataset, audit) -> tuple:
    """Each source's estimate of the months a switch takes."""
    months = select(data, "switch", units=["months"])
    rows = [dict(figure_row(data, f), who=data.sources[f.source]["short"]) for f in months]
    chart = range_and_points(rows, alt.Y("who", type="nominal", title=None,
                                         sort=[r["who"] for r in rows],
                                         axis=alt.Axis(labelLimit=150)),
                             "Months", "~g", legend=False)
    rest = [f for f in select(data, "switch", units=list(UNITS)) if f.unit != "months"]
    caption = (f"What the sources say about switching from software to ML engineering. "
               f"Sources: {source_names(data, (f.source for f in months + rest))}.")
    description = "Bars span each source's estimate of how many months a switch takes."
    return chart, figure_table(data, months + rest, caption, "Move"), description
