"""The answer a reader comes for, computed from data/: in each source that compares the two
roles, how much more (or less) ML engineers are paid, on which measure, across which levels;
and what the sources say a switch takes. The home page opens with it.
"""

from __future__ import annotations

from .claims import Premium, make_premium, order_premiums, pair_figures, premiums
from .model import Dataset, Figure
from .text import format_figure, premiums_words, role_word, short_measure
from .vocabulary import PAIR_DIMENSIONS, STATS


def answer(data: Dataset) -> dict:
    """The home page's opening: one line per source, how many put ML ahead in every pair
    they determine, the measures they use, the switch."""
    found = {source: source_premiums(data, source) for source in data.sources}
    lines = [premium_line(data, source, found[source]) for source in data.sources
             if found[source]]
    positive = [s for s in found if found[s] and all(
        p.result.lowest > 0 for p in found[s] if not p.result.undetermined)]
    measures = dict.fromkeys(short_measure(data, found[s][0].ml.measure).lower()
                             for s in found if found[s])
    return {"lines": lines, "positive": len(positive), "compared": len(lines),
            "measures": list(measures), "switch": switch_lines(data)}


def source_premiums(data: Dataset, source: str) -> list[Premium]:
    """One source's ML premiums from the first dimension that has any, in ladder order."""
    for dimension in PAIR_DIMENSIONS:
        found = [p for p in premiums(data.figures, dimension) if p.source == source]
        if found:
            return order_premiums(data, found)
    return []


def premium_line(data: Dataset, source: str, found: list[Premium]) -> dict:
    """One source's premium in words, with what it compares, open ends named; and, when the
    source's headline reads another statistic, what that statistic gives."""
    entry = data.sources[source]
    levels = [data.ladder[p.level]["name"] for p in found if p.level]
    return {"employer": entry.get("employer"), "source": entry["short"],
            "measure": f"{short_measure(data, found[0].ml.measure).lower()}, "
                       f"{STATS[found[0].ml.stat]}",
            "premium": premiums_words(data, found),
            "negative": all(p.result.highest < 0 for p in found),
            "headline": headline_words(data, source, found),
            "levels": f"{levels[0]} to {levels[-1]}" if len(levels) > 1 else "",
            "ml_word": role_word(data, "mle", source),
            "swe_word": role_word(data, "swe", source)}


def headline_words(data: Dataset, source: str, found: list[Premium]) -> str:
    """What the source's headline statistic gives, when it is not the one the line reads:
    "its headline compares average salary ranges: -38%"."""
    claim = next((c for c in data.claims if c.source == source and c.headline), None)
    if claim is None or claim.stat == found[0].ml.stat or not claim.premium:
        return ""
    pairs = [make_premium(ml, swe) for ml, swe in pair_figures(data.figures)
             if (ml.source, ml.dimension, ml.measure, ml.stat)
             == (source, claim.dimension, claim.measure, claim.stat)]
    if not pairs:
        return ""
    return (f"its headline compares the {STATS[claim.stat]}s instead: "
            f"{premiums_words(data, pairs)}")


def switch_lines(data: Dataset) -> list[str]:
    """What each source says a switch takes, and what it pays, in its own terms."""
    figures = [f for f in data.figures if f.dimension == "switch"
               and f.measure in ("switch_time", "switch_payoff_time", "switch_pay_gain")]
    return [switch_words(data, f) for f in sorted(figures, key=lambda f: (
        list(data.sources).index(f.source), f.measure))]


def switch_words(data: Dataset, fig: Figure) -> str:
    """One switch figure: "RFS (AI startups): 6 months – 12 months (time to switch …)"."""
    what = data.measures[fig.measure]["name"]
    return (f"{data.sources[fig.source]['short']}: {format_figure(fig, fig.unit)} "
            f"({what[:1].lower()}{what[1:]}{'; ' + fig.scope if fig.scope else ''})")
