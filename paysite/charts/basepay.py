"""Base pay like for like: the one measure two sources share (base salary), side by side."""

from __future__ import annotations

import altair as alt

from ..model import Dataset
from ..text import group_name
from .base import ChartDataError, Drawn, chart_kind
from .encodings import (by_panel, figure_row, ordered, range_and_points, sources_note, unique,
                        usd_axis)
from .tables import figure_table


@chart_kind("base_like_for_like", "Base salary, like for like",
            reads=(), measures=("base_salary",))
def base_like_for_like(data: Dataset, audit) -> Drawn:
    """Every base-salary figure of ML and software engineers, one panel per source: the only
    measure the start-up and national sources share, so the one fair comparison of the two."""
    figures = ordered(data, (f for f in data.figures if f.measure == "base_salary"
                             and f.side in ("mle", "swe")))
    sources = {f.source for f in figures}
    if len(sources) < 2:
        raise ChartDataError("needs base-salary figures from at least two sources")
    rows = [dict(figure_row(data, f), item=group_name(data, f),
                 panel=data.sources[f.source]["short"]) for f in figures]
    y = alt.Y("item", type="nominal", sort=unique(rows, "item"), title=None,
              axis=alt.Axis(labelLimit=220))
    chart = by_panel(range_and_points(rows, y, usd_axis()), rows, "panel",
                     independent=("y",))
    caption = (f"Base salary only, the measure these sources share: typical ranges by level "
               f"at AI start-ups, and the national range for all levels together. "
               f"{sources_note(data, sources)}")
    return Drawn(chart, figure_table(data, figures, caption, "Level or group"),
                 "One panel per source; bars span each base-salary range, ML engineers and "
                 "software engineers side by side, on one dollar scale.")
