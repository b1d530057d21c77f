"""Charts of ranks: a grid of items by role, each cell showing the item's rank."""

from __future__ import annotations

import altair as alt

from ..model import Dataset, Figure
from .base import ChartDataError, Drawn, chart_kind
from .encodings import figure_row, figure_tooltip, place_y, role_color, select, sources_note
from .tables import figure_table
from .theme import RANK_TEXT


def rank_grid(rows: list[dict], y: alt.Y) -> alt.LayerChart:
    """A grid of groups by role; each filled cell shows the group's rank for that role."""
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=y, x=alt.X("role", type="nominal", title=None,
                     axis=alt.Axis(orient="top", labelAngle=0)),
        tooltip=figure_tooltip())
    cells = base.mark_rect(cornerRadius=3).encode(color=role_color())
    ranks = base.mark_text(**RANK_TEXT).encode(
        text=alt.Text("value", type="quantitative", format="d"))
    return alt.layer(cells, ranks)


@chart_kind("top_metros", "Top hiring metros by role", reads=("location",))
def top_metros(data: Dataset, audit) -> Drawn:
    """The metros with the most listings for each role, as ranks."""
    figures = select(data, "location", units=["rank"])
    rows = [figure_row(data, f) for f in figures]
    caption = (f"Top three hiring metros per role (1 = most listings). "
               f"{sources_note(data, (f.source for f in figures))}")
    return Drawn(rank_grid(rows, place_y(data)), figure_table(data, figures, caption, "Place"),
                 "A grid of metros by role; each filled cell shows the metro's rank.")


@chart_kind("top_skills", "The top 8 skills each role asks for", reads=("skills",))
def top_skills(data: Dataset, audit) -> Drawn:
    """Each role's top skills by rank, and the overlap between the two lists."""
    ranks = select(data, "skills", units=["rank"])
    if not ranks:
        raise ChartDataError("needs rank figures (a measure in unit rank) in data/skills.yaml; "
                             "there are none")
    rows = [figure_row(data, f) for f in ranks]
    skills = sorted({f.group for f in ranks},
                    key=lambda s: (min(f.value for f in ranks if f.group == s), s))
    chart = rank_grid(rows, alt.Y("label", type="nominal", sort=skills, title=None))
    shared, tops = skill_overlap(ranks)
    stated = select(data, "skills", units=["count", "percent"])
    caption = (f"Each role's top 8 skills by rank (1 = most asked). Recomputed from the two "
               f"lists: {len(shared)} of {tops} skills shared ({len(shared) / tops * 100:.1f}%): "
               f"{', '.join(sorted(shared))}. {sources_note(data, (f.source for f in ranks))}")
    return Drawn(chart, figure_table(data, ranks + stated, caption, "Skill"),
                 "A grid of skills by role; a filled cell means the skill is in that role's top "
                 "8, and shows its rank.")


def skill_overlap(ranks: list[Figure]) -> tuple[set[str], int]:
    """The skills in both roles' lists, and the length of the longer list."""
    by_role: dict[str, set[str]] = {}
    for fig in ranks:
        by_role.setdefault(fig.role, set()).add(fig.group)
    lists = list(by_role.values())
    return set.intersection(*lists), max(len(skills) for skills in lists)
