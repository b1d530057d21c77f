"""Claims in words: "Python and PyTorch dominate the requirements", "the premium widens with
seniority". Each is recorded in data/claims.yaml under `words` with one or more checks (the
plain reading first, then any fair alternative), and judged against its source's own figures.

Check kinds: order (one side above the other), rank (named items within the top k), trend
(the premium rises, falls, or is widest or narrowest where named), overlap (how far two ranges
overlap), share (named groups' shares add up to a bound), size (the words read as a premium
band, judged like a stated premium) and width (one side's ranges wider than the other's).
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from .model import Claim, Dataset, Figure, Selector, WordCheck, WordClaim, role_behind
from .readings import (CONTRADICTED, OVERSTATED, POSSIBLE, UNDERSTATED, UNTESTABLE, VERDICTS,
                       Result, Verdict, first_holding, open_top,
                       point_value, read_claim, result_of)
from .text import result_percent, verdict_counts, verdict_line
from .vocabulary import POINTS
from .worded_claims import check_pool, role_pairs, side_pairs


NOTHING = "no figures to compare"  # the loader refuses such a check; this is a safeguard
WITHIN_PRECISION = ("its figures allow it, but only within their printed precision, which "
                    "cannot tell the premiums apart")


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One reading of a claim in words: what the figures give, and whether the words hold."""

    name: str
    holds: bool
    found: str
    misses: str | None = None  # a size word that fails: "overstated" or "understated"
    possible: bool = False  # not shown, but the figures' printed precision leaves room for it


@dataclasses.dataclass(frozen=True)
class WordResult:
    """A claim in words, every reading of it, and the verdict."""

    claim: WordClaim
    outcomes: tuple[Outcome, ...]
    verdict: Verdict


def judge_words(claims: tuple[WordClaim, ...], figures: tuple[Figure, ...],
                role_names: dict[str, str]) -> tuple[WordResult, ...]:
    """Judge every claim in words: its first check's reading decides, else name another."""
    results = []
    for claim in claims:
        if claim.untestable:
            results.append(WordResult(claim, (), Verdict(UNTESTABLE, reason=claim.untestable)))
            continue
        outcomes = tuple(o for check in claim.checks
                         for o in run_check(claim.source, check, figures, role_names))
        results.append(WordResult(claim, outcomes, word_verdict(outcomes)))
    return tuple(results)


def word_verdict(outcomes: tuple[Outcome, ...]) -> Verdict:
    """The first reading that holds decides; when none does, the first whose figures'
    precision leaves room for it makes it possible, not shown; when every reading is a size
    word missed the same way, the words are overstated or understated, as a number is."""
    verdict = first_holding(outcomes)
    if verdict.kind != CONTRADICTED:
        return verdict
    possible = next((o for o in outcomes if o.possible), None)
    if possible:
        return Verdict(POSSIBLE, possible.name, WITHIN_PRECISION)
    misses = {o.misses for o in outcomes}
    if len(misses) == 1 and None not in misses:
        return Verdict(misses.pop())
    return verdict


def word_findings(results: tuple[WordResult, ...]) -> dict:
    """The claims in words in a few numbers: how many, and how many of each verdict."""
    return {"claims": len(results),
            "kinds": {kind: sum(r.verdict.kind == kind for r in results) for kind in VERDICTS},
            "counts_words": verdict_counts(r.verdict.kind for r in results)}


def words_of(data: Dataset) -> tuple[WordResult, ...]:
    """Every claim in words of a data set, judged, its roles named as the site names them."""
    return judge_words(data.words, data.figures,
                       {key: role["name"] for key, role in data.roles.items()})


def outcomes_words(result: WordResult) -> str:
    """Every reading of a claim in words, with what it found and whether it holds."""
    return "; ".join(verdict_line(o.name, o.found, "within precision" if o.possible else o.holds)
                     for o in result.outcomes)


def run_check(source: str, check: WordCheck, figures: tuple[Figure, ...],
              role_names: dict[str, str]) -> list[Outcome]:
    """Apply one check to the source's figures; a check over ranges gives one outcome per point."""
    return CHECKS[check.kind](check, check_pool(source, check, figures), role_names)


def points_of(figures: list[Figure]) -> tuple[str, ...]:
    """Midpoints alone for single values; midpoints, bottoms and tops when any is a range."""
    return ("center", "low", "high") if any(f.value is None for f in figures) else ("center",)


def named(check: WordCheck, point: str, figures: list[Figure]) -> str:
    """Name a reading: the check's own words, and the point of the ranges if they matter."""
    if len(points_of(figures)) == 1:
        return check.reading
    return f"{check.reading} ({POINTS[point]}s)"


def check_order(check: WordCheck, pool: list[Figure],
                names: dict[str, str]) -> list[Outcome]:
    """Side a above side b in every pair: at every point of the ranges, or at the points the
    sides name (an average range's midpoint against a median)."""
    pairs = side_pairs(check, pool)
    if not pairs:
        return [Outcome(check.reading, False, NOTHING)]
    flat = [f for pair in pairs for f in pair]
    if "point" in check.a or "point" in check.b:
        points = [(check.a.get("point", "center"), check.b.get("point", "center"))]
    else:
        points = [(point, point) for point in points_of(flat)]
    outcomes = []
    for at_a, at_b in points:
        # Two figures that both end in "or more" at the points read can stand either way.
        settled = [(a, b) for a, b in pairs if not (open_top(a, at_a) and open_top(b, at_b))]
        above = [point_value(a, at_a) > point_value(b, at_b) for a, b in settled]
        open_pairs = len(pairs) - len(settled)
        found = f"above in {sum(above)} of {len(above)}" + (
            f"; {open_pairs} pair with both figures ending in “or more” left out"
            if open_pairs else "")
        outcomes.append(Outcome(named(check, at_a, flat) if at_a == at_b else check.reading,
                                bool(above) and all(above), found))
    return outcomes


def check_rank(check: WordCheck, pool: list[Figure],
               names: dict[str, str]) -> list[Outcome]:
    """Every named group at rank `within` or better, for every named role."""
    found, ok = [], True
    for group in check.groups:
        ranks = {f.side: f.value for f in pool if f.group == group}
        for role in check.roles:
            rank = ranks.get(role)
            ok = ok and rank is not None and rank <= check.within
            found.append(f"{group} {f'#{rank:g}' if rank else 'not listed'} "
                         f"({role_name(pool, role, names)})")
    return [Outcome(check.reading, ok, "; ".join(found))]


def check_share(check: WordCheck, pool: list[Figure],
                names: dict[str, str]) -> list[Outcome]:
    """The named groups' values add up to within the bounds, for every named role."""
    found, ok = [], True
    for role in check.roles:
        total = sum(f.value for f in pool if f.side == role and f.group in check.groups)
        ok = ok and within(total, check.at_least, check.at_most)
        found.append(f"{total:g} ({role_name(pool, role, names)})")
    return [Outcome(check.reading, ok, "; ".join(found))]


def role_name(pool: list[Figure], side: str, names: dict[str, str]) -> str:
    """The name of the role a source's figures give for a side (model.role_behind)."""
    role = role_behind(pool, side)
    return names.get(role, role)


def check_overlap(check: WordCheck, pool: list[Figure],
                  names: dict[str, str]) -> list[Outcome]:
    """How much of the narrower range the other covers, in every pair."""
    shares = [overlap_share(a, b) for a, b in side_pairs(check, pool)]
    if not shares:
        return [Outcome(check.reading, False, NOTHING)]
    ok = all(within(s, check.at_least, check.at_most) for s in shares)
    return [Outcome(check.reading, ok,
                    "overlap " + ", ".join(f"{s:.0%}" for s in shares) + " of the narrower range")]


def overlap_share(a: Figure, b: Figure) -> float:
    """The overlap of two ranges as a share of the narrower one (a single value: 1 or 0)."""
    (a_low, a_high), (b_low, b_high) = ((point_value(f, "low"), point_value(f, "high"))
                                        for f in (a, b))
    shared = min(a_high, b_high) - max(a_low, b_low)
    narrower = min(a_high - a_low, b_high - b_low)
    if narrower == 0:
        return 1.0 if shared >= 0 else 0.0
    return max(shared, 0) / narrower


def within(number: float, at_least: float | None, at_most: float | None) -> bool:
    """Whether a number respects the bounds that are given."""
    return ((at_least is None or number >= at_least)
            and (at_most is None or number <= at_most))


def check_trend(check: WordCheck, pool: list[Figure],
                names: dict[str, str]) -> list[Outcome]:
    """The ML premium along the named groups: rises, falls, or widest or narrowest as named."""
    pairs = role_pairs(pool, check.groups)
    if len(pairs) != len(check.groups):
        return [Outcome(check.reading, False, NOTHING)]
    flat = [f for pair in pairs for f in pair]
    outcomes = []
    for point in points_of(flat):
        results = [result_of("premium", m, s, (point, point)) for m, s in pairs]
        outcomes.append(trend_outcome(check, named(check, point, flat), results,
                                      ", ".join(result_percent(r) for r in results)))
    gaps = [result_of("difference", m, s, ("center", "center")) for m, s in pairs]
    outcomes.append(trend_outcome(check, f"{check.reading} (in dollars, midpoints)", gaps,
                                  ", ".join(dollars_words(g) for g in gaps)))
    return outcomes


def trend_outcome(check: WordCheck, name: str, results: list[Result], found: str) -> Outcome:
    """A trend reading: it holds when the series has the shape beyond its printed precision,
    and is possible when the precision leaves room for it without showing it."""
    shown = shaped(check, results)
    return Outcome(name, shown, found, possible=not shown and shaped(check, results, True))


def dollars_words(gap: Result) -> str:
    """A dollar gap with its open ends: "$25,000 or more"; "any value" when both of its
    figures end in "or more"."""
    if gap.undetermined:
        return "any value"
    return f"${gap.value:,.0f}" + (" or more" if gap.open_above else
                                    " or less" if gap.open_below else "")


def shaped(check: WordCheck, results: list[Result], allowed: bool = False) -> bool:
    """Whether a series has the shape the words claim, each step clearer than the printed
    precision of its figures allows: +30.8% and +31.0% from figures printed to the $1,000
    are the same premium, not a rise; and a result resting on an "or more" figure is only a
    floor (or a ceiling). `allowed`: whether the precision and the open ends leave room for
    the shape, no step clearly the wrong way. A group whose figures both end in "or more"
    says nothing either way, and is left out of the steps."""
    def above(x: Result, y: Result) -> bool:
        if x.undetermined or y.undetermined:
            return False
        return x.highest > y.lowest if allowed else x.lowest > y.highest
    settled = [r for r in results if not r.undetermined]
    steps = list(zip(settled, settled[1:]))
    if check.shape == "rises":
        return bool(steps) and all(above(b, a) for a, b in steps)
    if check.shape == "falls":
        return bool(steps) and all(above(a, b) for a, b in steps)
    wanted = {check.groups.index(g) for g in check.named}
    others = [v for i, v in enumerate(results) if i not in wanted and not v.undetermined]
    if check.shape == "widest":
        return all(above(results[i], v) for i in wanted for v in others)
    return all(above(v, results[i]) for i in wanted for v in others)


def check_size(check: WordCheck, pool: list[Figure],
               names: dict[str, str]) -> list[Outcome]:
    """The words read as a premium band, judged as a stated premium would be."""
    claim = Claim(id="words", source=pool[0].source if pool else "", dimension=check.dimension,
                  measure=check.measure, stat=check.stat, formula="premium",
                  a=Selector("mle", check.groups, None, "center"),
                  b=Selector("swe", check.groups, None, "center"), paired_on=("group",),
                  unit="percent_change", value=None,
                  low=-100.0 if check.low is None else check.low, high=check.high,
                  qualifiers=() if check.high is not None else ("open_ended",),
                  headline=False, as_stated=check.reading)
    pairs = role_pairs(pool, check.groups)
    if not pairs:
        return [Outcome(check.reading, False, NOTHING)]
    readings = read_claim(claim, pairs, "group")
    return [Outcome(f"{check.reading} ({r.name})", r.holds,
                    ", ".join(result_percent(x) for x in r.results), missed(check, r.outcome))
            for r in readings]


def missed(check: WordCheck, outcome: str) -> str | None:
    """How a size word misses the figures: its table says what a larger gap makes of it
    (a 'slight' gap that is larger is understated), and a smaller gap the other way."""
    if check.above is None or outcome not in ("above", "below"):
        return None
    other = {OVERSTATED: UNDERSTATED, UNDERSTATED: OVERSTATED}
    return check.above if outcome == "above" else other[check.above]


def check_width(check: WordCheck, pool: list[Figure],
                names: dict[str, str]) -> list[Outcome]:
    """Side a's ranges wider than side b's in every pair, width read as top over bottom (so
    ranges of different units compare): "equity ranges span more than base ranges"."""
    pairs = [(a, b) for a, b in side_pairs(check, pool) if a.low and b.low]
    if not pairs:
        return [Outcome(check.reading, False, NOTHING)]
    spans = [(a.high / a.low, b.high / b.low) for a, b in pairs]
    def span(values):
        return f"{min(values):.1f} to {max(values):.1f} times"
    return [Outcome(check.reading, all(x > y for x, y in spans),
                    f"a spans {span([x for x, _ in spans])} its bottom, "
                    f"b {span([y for _, y in spans])}")]


CHECKS: dict[str, Callable[[WordCheck, list[Figure], dict[str, str]], list[Outcome]]] = {
    "order": check_order, "rank": check_rank, "share": check_share, "overlap": check_overlap,
    "trend": check_trend, "size": check_size, "width": check_width}
