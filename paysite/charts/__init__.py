"""Charts: every chart kind, registered by name in `KINDS` when its module is imported.

Importing this package imports Altair (a quarter of a second), so the pipeline imports it
only when some page names a chart. A chart kind is one function in the module for what it
draws (`stated`: figures as spans and points; `basepay`: base salary like for like;
`premiums`: recomputed against stated; `counts`: bars; `ranks`: rank grids; `compare`: the
comparator; `claims_in_words`: verdicts on the claims in words), decorated with
`@chart_kind(name, title, reads=(dimensions...))`: it is given only that part of the data
(all of it when `reads` is left out), and a build makes it again only when that part
changes (its spec is kept in `.cache/specs/` under it: charts/draw.py).

A page may also declare a chart in its front matter from one of the general kinds (`general`:
figures, premiums, counts) for any dimension; `kinds_of(pages)` is the registry with those
charts added, and every stage that looks a chart up by name reads it.
"""

import dataclasses

from ..errors import BuildError, Problem, display_path
from ..pages import Page, chart_mentions, chart_name_problems
# Each kind module registers its chart kinds when imported; a new module is added here.
from . import basepay, claims_in_words, compare, counts, premiums, ranks, stated  # noqa: F401
from .base import KINDS, ChartDataError, ChartFailures, Drawn, Table, chart_kind
from .draw import make_charts
from .general import declared_kinds

__all__ = ["KINDS", "ChartDataError", "ChartFailures", "Drawn", "Table", "chart_kind",
           "check_names", "failure_problems", "kinds_of", "make_charts"]


def kinds_of(pages: tuple[Page, ...]) -> dict:
    """Every chart kind a page may name: the registered ones and those pages declare."""
    return {**KINDS, **declared_kinds(pages)}


def failure_problems(pages: tuple[Page, ...], failures: ChartFailures) -> list[Problem]:
    """Each chart that could not be made, located where it is declared, or else where a page
    first names it."""
    first = {chart.name: Problem(display_path(page.src_path), *chart.where, "")
             for page in pages for chart in page.declared}
    for name, where in chart_mentions(pages):
        first.setdefault(name, where)
    return [dataclasses.replace(first[name], message=f"chart {name!r}: {reason}")
            for name, reason in sorted(failures.reasons.items())]


def check_names(pages: tuple[Page, ...]) -> None:
    """Stop with a located message for every chart name in front matter no kind answers to,
    and for a declared chart whose name is taken (by a chart kind, or declared before)."""
    problems = chart_name_problems(pages, kinds_of(pages))
    for page in pages:  # a chart named twice on one page (once by name, once declared)
        seen = set()
        for name, where in chart_mentions([page]):
            if name in seen:
                problems.append(dataclasses.replace(
                    where, message=f"chart {name!r} is already on this page; show it once"))
            seen.add(name)
    taken = dict.fromkeys(KINDS, "the name of a chart kind")
    for page in pages:
        here = f"declared in {display_path(page.src_path)}"
        for chart in page.declared:
            if taken.get(chart.name, here) != here:  # twice on one page is said above
                problems.append(Problem(
                    display_path(page.src_path), *chart.where,
                    f"chart name {chart.name!r} is already {taken[chart.name]}; give this "
                    f"chart a name of its own"))
            taken.setdefault(chart.name, here)
    if problems:
        raise BuildError(problems)
