"""Charts of counts and shares, as bars."""

from __future__ import annotations

import altair as alt

from ..model import Dataset
from ..text import source_names
from .base import chart_kind
from .encodings import (by_panel, count_rows, figure_row, figure_tooltip, fixed_color,
                        ladder_names, ordered, role_color, select)
from .tables import figure_table
from .theme import ANY_ROLE_COLORS, CHART_WIDTH


@chart_kind("postings_by_level", "Seniority mix of job postings")
def postings_by_level(data: Dataset, audit) -> tuple:
    """Share of each role's postings at each level."""
    figures = select(data, "experience", measures=["postings_share"])
    rows = [figure_row(data, f) for f in figures]
    chart = alt.Chart(alt.Data(values=rows)).mark_bar(height=12).encode(
        y=alt.Y("level", type="ordinal", sort=ladder_names(data), title=None),
        yOffset=alt.YOffset("role", type="nominal"),
        x=alt.X("value", type="quantitative", title="Share of the role's postings (%)"),
        color=role_color(), tooltip=figure_tooltip()).properties(width=CHART_WIDTH)
    caption = f"Seniority mix of open postings. Source: {source_names(data, ['jobboard'])}."
    description = "Bars show what share of each role's postings is entry, mid and senior."
    return chart, figure_table(data, figures, caption, "Level (source's label)"), description


@chart_kind("remote_work", "What the sources say about remote work")
def remote_work(data: Dataset, audit) -> tuple:
    """Remote share of listings per role, and the stated remote pay dip."""
    figures = select(data, "location", units=["percent"])
    rows = [dict(figure_row(data, f), item=f"{data.sources[f.source]['short']}: "
                 f"{data.measures[f.measure]['name'].lower()}") for f in figures]
    base = alt.Chart().encode(
        y=alt.Y("role", type="nominal", title=None),
        color=fixed_color("role", ANY_ROLE_COLORS, legend=None),
        tooltip=figure_tooltip())
    axis = alt.Axis(title="Percent", tickCount=4)
    bars = base.mark_bar(height=14).encode(x=alt.X("value", type="quantitative", axis=axis))
    spans = base.mark_bar(height=14).encode(x=alt.X("low", type="quantitative", axis=axis),
                                            x2="high")
    chart = by_panel(alt.layer(bars, spans, data=alt.Data(values=rows)).properties(
        width=CHART_WIDTH), rows, "item")
    caption = (f"Remote work: share of listings fully remote, and remote pay against on-site "
               f"pay. Sources: {source_names(data, (f.source for f in figures))}.")
    description = "Bars show remote shares of listings by role and the stated remote pay dip."
    return chart, figure_table(data, figures, caption, "Place"), description


@chart_kind("open_roles", "Open roles and tracked roles per role")
def open_roles(data: Dataset, audit) -> tuple:
    """How many roles each source counts for each role, one panel per source."""
    figures = ordered(data, (f for f in data.figures
                             if f.measure in ("open_positions", "roles_tracked")))
    rows = count_rows(data, figures)
    chart = alt.Chart(alt.Data(values=rows)).mark_bar(height=14).encode(
        y=alt.Y("role", type="nominal", title=None, sort=[r["name"] for r in
                                                          data.roles.values()]),
        x=alt.X("value", type="quantitative", title="Roles",
                axis=alt.Axis(tickCount=4, format="~s")),
        color=fixed_color("role", ANY_ROLE_COLORS, legend=None),
        tooltip=figure_tooltip()).properties(width=CHART_WIDTH)
    chart = by_panel(chart, rows, "panel", independent=("x", "y"))
    caption = (f"Roles counted per role; each panel has its own scale. Sources: "
               f"{source_names(data, (f.source for f in figures))}.")
    description = ("Bars show how many roles each source counted for each role; the scales "
                   "differ by panel because the counts differ a hundredfold.")
    return chart, figure_table(data, figures, caption, "Group"), description
