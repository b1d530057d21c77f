"""Charts of counts and shares, as bars."""

from __future__ import annotations

import altair as alt

from ..model import Dataset
from .base import Drawn, chart_kind
from .encodings import (HEADER_LINE, by_panel, figure_row, figure_tooltip, fixed_color, level_y,
                        ordered, role_color, role_y, select, source_measure, sources_note,
                        span_and_point, wrap_label)
from .tables import figure_table
from .theme import ANY_ROLE_COLORS


@chart_kind("postings_by_level", "Seniority mix of job postings", reads=("experience",))
def postings_by_level(data: Dataset, audit) -> Drawn:
    """Share of each role's postings at each level."""
    figures = select(data, "experience", measures=["postings_share"])
    rows = [figure_row(data, f) for f in figures]
    chart = alt.Chart(alt.Data(values=rows)).mark_bar(height=12).encode(
        y=level_y(data), yOffset=alt.YOffset("role", type="nominal"),
        x=alt.X("value", type="quantitative", title="Share of the role's postings (%)"),
        color=role_color(), tooltip=figure_tooltip())
    caption = (f"Seniority mix of open postings. "
               f"{sources_note(data, (f.source for f in figures))}")
    return Drawn(chart, figure_table(data, figures, caption, "Level (source's label)"),
                 "Bars show what share of each role's postings is entry, mid and senior.")


@chart_kind("remote_work", "What the sources say about remote work", reads=("location",))
def remote_work(data: Dataset, audit) -> Drawn:
    """Remote share of listings per role, and the stated remote pay dip."""
    figures = select(data, "location", units=["percent"])
    rows = [dict(figure_row(data, f), item=wrap_label(source_measure(data, f), HEADER_LINE))
            for f in figures]
    base = alt.Chart().encode(y=role_y(),
                              color=fixed_color("role", ANY_ROLE_COLORS, legend=None),
                              tooltip=figure_tooltip())
    bar = base.mark_bar(height=14)
    # A share of listings and a pay dip are two measures: each panel is titled by its own
    # and keeps its own scale.
    axis = alt.Axis(title="Percent (the panel title says of what)", tickCount=4)
    chart = by_panel(span_and_point(rows, bar, bar, axis), rows, "item",
                     independent=("x", "y"))
    caption = (f"Remote work: share of listings fully remote, and remote pay against on-site "
               f"pay. {sources_note(data, (f.source for f in figures))}")
    return Drawn(chart, figure_table(data, figures, caption, "Place"),
                 "Bars show remote shares of listings by role and, in a panel of its own, the "
                 "stated remote pay dip: two measures, each named above its panel.")


@chart_kind("open_roles", "Open roles and tracked roles per role",
            reads=(), measures=("open_positions", "roles_tracked"))
def open_roles(data: Dataset, audit) -> Drawn:
    """How many roles each source counts for each role, one panel per source."""
    figures = ordered(data, (f for f in data.figures
                             if f.measure in ("open_positions", "roles_tracked")))
    rows = [figure_row(data, f) for f in figures]  # one panel per source and measure
    chart = alt.Chart(alt.Data(values=rows)).mark_bar(height=14).encode(
        y=role_y(sort=[role["name"] for role in data.roles.values()]),
        x=alt.X("value", type="quantitative", title="Roles",
                axis=alt.Axis(tickCount=4, format="~s")),
        color=fixed_color("role", ANY_ROLE_COLORS, legend=None), tooltip=figure_tooltip())
    caption = (f"Roles counted per role; each panel has its own scale. "
               f"{sources_note(data, (f.source for f in figures))}")
    return Drawn(by_panel(chart, rows, "panel", independent=("x", "y")),
                 figure_table(data, figures, caption, "Group"),
                 "Bars show how many roles each source counted for each role; the scales "
                 "differ by panel because the counts differ a hundredfold.")
