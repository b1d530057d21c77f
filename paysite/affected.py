"""What a change moves in the output, for the review diff: the charts whose spec or table
differs between the two revisions, and every page whose bytes change, each with why.
"""

from __future__ import annotations

from .model import source_counts
from .pages import Page
from .render import structured_data
from .revisions import Revision
from .text import findings

# What of a page's front matter the review compares; a page's dimension is checked, never
# shown, so a change to it alone moves no output.
PAGE_FIELDS = ("title", "summary", "order", "dimension", "charts", "declared", "template",
               "nav", "nav_title")
NOT_IN_OUTPUT = ("dimension",)


def charts_moved(old: Revision, new: Revision) -> set[str]:
    """The charts no page showed before, and those whose spec or table differs between the
    two sides."""
    names = {name for page in new.pages for name in page.charts}
    if not names:
        return set()
    from . import charts  # imports Altair, as the build does: only when charts are compared
    from .charts.draw import chart_data, made_chart
    charts.check_names(new.pages)
    def made(kind, part: tuple) -> tuple | str:
        """The chart as the build makes it (title, description, spec, table), or why that
        side cannot make it (a dimension new on one side, say)."""
        try:
            return made_chart(kind, *part)
        except charts.ChartDataError as error:
            return str(error)
    shown_before = {name for page in old.pages for name in page.charts}
    moved = names - shown_before  # readers see these for the first time
    old_kinds, new_kinds = charts.kinds_of(old.pages), charts.kinds_of(new.pages)
    for name in names & shown_before:
        kinds = (old_kinds.get(name, new_kinds[name]), new_kinds[name])
        before, after = (chart_data(kind, side.data, side.audit)
                         for kind, side in zip(kinds, (old, new)))
        # A chart whose part of the data and whose kind (a declared chart's options) are the
        # same on both sides is the same chart: only the others are made, once a side.
        changed = before != after or kinds[0].declared != kinds[1].declared
        if changed and made(kinds[0], before) != made(kinds[1], after):
            moved.add(name)
    return moved


def pages_affected(old: Revision, new: Revision, moved: set[str],
                   templates: list[str]) -> list[list[str]]:
    """[page, why] for every page whose output the change moves."""
    everywhere = [why for why, moved_all in (
        ("a template changed", templates),
        ("the site's title or date in every footer", old.data.site != new.data.site),
        ("the navigation on every page", nav_of(old.pages) != nav_of(new.pages))) if moved_all]
    summary_moved = findings(old.data, old.audit) != findings(new.data, new.audit)
    counts_moved = ((source_counts(old.data, old.data.figures),
                     source_counts(old.data, old.data.claims))
                    != (source_counts(new.data, new.data.figures),
                        source_counts(new.data, new.data.claims)))
    before = {p.slug: page_output(p) for p in old.pages}
    described = [structured_data(side.pages, side.data, side.audit, side.words)
                 for side in (old, new)]
    rows = []
    for page in sorted(new.pages, key=lambda p: p.out_name):
        why = [*everywhere, *(f"chart {name}" for name in page.charts if name in moved)]
        why += ["the audit's summary"] * (summary_moved and page.template == "home")
        why += ["the count of figures by source"] * (counts_moved and page.template == "sources")
        why += ["its own text or front matter"] * (before.get(page.slug) != page_output(page))
        why += ["its structured data (JSON-LD: the data set, the claims reviewed)"] * (
            described[0].get(page.slug) != described[1].get(page.slug))
        if why:
            rows.append([page.out_name, "; ".join(why)])
    return rows


def nav_of(pages: tuple[Page, ...]) -> list[tuple]:
    """What of the pages the navigation shows: their order, addresses and names."""
    return [(p.order, p.slug, p.nav_title) for p in pages if p.nav]


def page_output(page: Page) -> tuple:
    """What of a page reaches its HTML (not where its file is, nor its line numbers)."""
    return tuple(getattr(page, field) for field in PAGE_FIELDS
                 if field not in NOT_IN_OUTPUT) + (page.body_html,)


