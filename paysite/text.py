"""Text: numbers in their units, and figures, claims and results in words, for tables,
captions and the home page's summary.
"""

from __future__ import annotations

import math
from typing import Iterable

from .claims import Premium, Recomputed, stated_as_ml_premium
from .readings import VERDICTS, Reading, accepted
from .model import Claim, Dataset, Figure, role_behind


def format_number(number: float, unit: str) -> str:
    """Write one number in its unit for a table cell (never NaN or infinity)."""
    if not math.isfinite(number):
        raise ValueError(f"refusing to write the non-finite number {number!r}")
    if unit == "usd_per_year":
        return f"${number:,.0f}"
    if unit in ("percent", "percent_change"):
        return f"{number:g}%"
    if unit == "rank":
        return f"#{number:g}"
    if unit == "year":
        return f"{number:.0f}"
    if unit in ("days", "months", "years"):
        return f"{number:g} {unit if number != 1 else unit[:-1]}"
    return f"{number:,.0f}"


def format_figure(fig: Figure | Claim, unit: str) -> str:
    """Write a figure or stated claim with its qualifiers (~, +, over)."""
    prefix = "~" if "approximate" in fig.qualifiers else ""
    prefix = "over " if "at_least" in fig.qualifiers else prefix
    suffix = "+" if "open_ended" in fig.qualifiers else ""
    if fig.value is not None:
        return f"{prefix}{format_number(fig.value, unit)}{suffix}"
    return (f"{prefix}{format_number(fig.low, unit)} – "
            f"{format_number(fig.high, unit)}{suffix}")


def format_percent(low: float, high: float, signed: bool = True) -> str:
    """Write a recomputed premium or premium range to the whole percent.

    The dollar figures premiums come from are rounded to $1,000 or more, which moves a
    premium by up to about half a point: a tenth of a point would claim a precision the
    inputs do not have.
    """
    first, last = (whole_percent(n, signed) for n in (low, high))
    return first if first == last else f"{first} to {last}"


def premium_words(premium: Premium) -> str:
    """A recomputed premium with its open ends: "+24% or more"; "any value (both figures end
    in +)" when the ML and SWE figures are both open."""
    result = premium.result
    if result.undetermined:
        return OPEN_PAIR
    words = format_percent(premium.percent, premium.percent)
    return words + (" or more" if result.open_above else " or less" if result.open_below else "")


OPEN_PAIR = "any value (both figures end in +)"


def premium_interval_words(premium: Premium) -> str:
    """A recomputed premium and the interval its figures' printed precision allows:
    "+24% or more [+23.9% to +24.9%, or more]"."""
    result = premium.result
    if result.undetermined:
        return OPEN_PAIR
    end = ", or more" if result.open_above else ", or less" if result.open_below else ""
    return f"{premium_words(premium)} [{percent_interval(result.low, result.high)}{end}]"


def percent_interval(low: float, high: float) -> str:
    """The interval a premium may take at the printed precision: "+6.4% to +9.2%"."""
    return f"{low:+.1f}% to {high:+.1f}%"


def premiums_words(data: Dataset, found: list[Premium], interval: bool = False) -> str:
    """Several premiums in a few words, each open one named apart: "+7% to +9%; Staff: any
    value (both figures end in +)"; with `interval`, the closed ones' interval at the printed
    precision too: "+7% to +9% [+6.4% to +9.2%]"."""
    shut = [p for p in found if not (p.result.open_above or p.result.open_below)]
    parts = [format_percent(*spread_of(p.percent for p in shut))] if shut else []
    if shut and interval:
        lowest, highest = min(p.result.low for p in shut), max(p.result.high for p in shut)
        parts[0] += f" [{percent_interval(lowest, highest)}]"
    parts += [f"{premium_group(data, p)}: {premium_words(p)}" for p in found if p not in shut]
    return "; ".join(parts)


def spread_of(values: Iterable[float]) -> tuple[float, float]:
    """The lowest and highest of some numbers."""
    values = list(values)
    return min(values), max(values)


def cross_words(data: Dataset, claim: Claim, check) -> str:
    """What another source's figures give for a claim, in the claim's direction, with the
    interval their printed precision allows, open ends named: "+7% to +9% [+6.4% to +9.2%];
    Staff: any value (both figures end in +)"."""
    if claim.premium != "ml_over_swe":
        return format_result(claim, check.low, check.high)
    return premiums_words(data, list(check.premiums), interval=True)


def result_percent(result) -> str:
    """One recomputed premium to the whole percent with its open end: "+24% or more"."""
    if result.undetermined:
        return OPEN_PAIR
    return whole_percent(result.value) + (" or more" if result.open_above else
                                          " or less" if result.open_below else "")


def whole_percent(number: float, signed: bool = True) -> str:
    """A percent to the whole percent, signed if asked ("+8%", "-3%", "0%")."""
    whole = round(number) + 0  # + 0 turns -0 into 0
    return f"{whole:+d}%" if signed and whole else f"{whole:d}%"


def source_names(data: Dataset, ids: Iterable[str]) -> str:
    """List sources by short name, in the order sources.yaml gives them."""
    wanted = set(ids)
    return ", ".join(s["short"] for key, s in data.sources.items() if key in wanted)


def group_name(data: Dataset, fig: Figure) -> str:
    """Name a figure's group: ladder level with the source's label, or a place."""
    if fig.level:
        return f"{data.ladder[fig.level]['name']} ({fig.group})"
    return group_label(data, fig.group)


def group_label(data: Dataset, group: str) -> str:
    """Show a group as readers know it: a place's name, a source's own level label."""
    if group == "all":
        return "whole sample"
    return data.cities.get(group, {}).get("name", group)


def role_word(data: Dataset, role: str, source: str) -> str:
    """What a source calls a role, or the role that stands for it in that source ("AI
    Software Engineer" for software engineers on the job board), or the role's own name."""
    for entry in [data.roles[role]] + [r for r in data.roles.values()
                                       if r.get("compares_as") == role]:
        if source in entry.get("names", {}):
            return entry["names"][source]
    return data.roles[role]["name"]


def premium_group(data: Dataset, premium: Premium) -> str:
    """Name the group a premium belongs to: its level on the common ladder, or its place."""
    if premium.level:
        return data.ladder[premium.level]["name"]
    return group_label(data, premium.group)


def short_measure(data: Dataset, measure: str) -> str:
    """A measure's short name for chart labels ("Total comp"), or its full name."""
    return data.measures[measure].get("short", data.measures[measure]["name"])


def compared_pair(premium: Premium) -> str:
    """Write a premium's two figures: "ML $170,000 vs SWE $130,000"."""
    return (f"ML {format_figure(premium.ml, premium.ml.unit)} vs "
            f"SWE {format_figure(premium.swe, premium.swe.unit)}")


def claim_about(data: Dataset, claim: Claim) -> str:
    """Say which figures a claim is about: its groups, or every group."""
    groups = claim.groups
    if groups is None and claim.a.groups and claim.b.groups:
        return (f"{', '.join(group_label(data, g) for g in claim.a.groups)} against "
                f"{', '.join(group_label(data, g) for g in claim.b.groups)}")
    if groups is None:
        return "every level" if data.group_kinds[claim.dimension] == "level" else "every group"
    return ", ".join(group_label(data, g) for g in groups)


def claim_subject(data: Dataset, result: Recomputed) -> str:
    """Say what a claim compares, naming the roles its figures give: "ML over SWE pay", "ML
    roles as a share of all"."""
    claim = result.claim
    sides = ([c.a for c in result.comparisons], [c.b for c in result.comparisons])
    a, b = (data.roles[role_behind(figures, s.role)]["name"] if s.role else "each role"
            for figures, s in zip(sides, (claim.a, claim.b)))
    measure = data.measures[claim.measure]["name"].lower()
    return {"premium": f"{a} {measure} over {b}", "dip": f"{measure} shortfall",
            "share": f"{a} as a share of {lower_first(b)} ({measure})",
            "difference": f"{a} minus {b} ({measure})"}[claim.formula]


def lower_first(name: str) -> str:
    """A name inside a sentence: "all AI listings", but "ML engineer" and "AI software
    engineer" as they are."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def format_result(claim: Claim, low: float, high: float) -> str:
    """Write a recomputed number in the claim's own terms."""
    if claim.formula == "difference":
        if round(low) == round(high):
            return format_number(low, claim.unit)
        return f"{format_number(low, claim.unit)} to {format_number(high, claim.unit)}"
    if claim.formula in ("premium", "dip"):  # from rounded dollar figures: whole percents
        return format_percent(low, high, signed=claim.formula == "premium")
    return f"{low:.1f}%" if round(low, 1) == round(high, 1) else f"{low:.1f}% to {high:.1f}%"


def reading_words(claim: Claim, reading: Reading) -> str:
    """What one reading gives, with its open ends and the interval the printed precision
    allows: "+24% or more [+23.9% to +24.9%, or more]"; and how many groups it cannot say
    anything about."""
    if reading.undetermined == len(reading.results):
        return "any value (both figures end with “or more”)"
    words = format_result(claim, reading.low, reading.high) + open_words(reading)
    words += f" [{interval_words(claim, *reading.interval)}{open_words(reading, ', ')}]"
    if reading.undetermined:
        pairs = "1 pair" if reading.undetermined == 1 else f"{reading.undetermined} pairs"
        allow = "allows" if reading.undetermined == 1 else "allow"
        words += f"; {pairs} with both figures ending in “or more” {allow} any value"
    return words


def open_words(reading: Reading, lead: str = " ") -> str:
    """How a result rests on an open end: " or more", " or less", ", open at both ends"."""
    if reading.open_above and not reading.open_below:
        return f"{lead}or more"
    if reading.open_below and not reading.open_above:
        return f"{lead}or less"
    return ", open at both ends" if reading.open_above else ""


def interval_words(claim: Claim, low: float, high: float) -> str:
    """The interval a result may take at the printed precision: "+6.4% to +9.2%"."""
    if claim.formula == "difference":
        return f"{format_number(low, claim.unit)} to {format_number(high, claim.unit)}"
    if claim.formula == "premium":
        return percent_interval(low, high)
    return f"{low:.1f}% to {high:.1f}%"


OUTCOME_WORDS = {"holds": "holds", "possible": "holds only through an open end",
                 "below": "fails: less than stated", "above": "fails: more than stated",
                 "both": "fails",
                 "within precision": "not shown: possible within the figures' precision"}


def verdict_line(name: str, found: str, holds: bool | str) -> str:
    """One reading in words: "tops of the ranges: +68% (holds)"."""
    if isinstance(holds, str):
        return f"{name}: {found} ({OUTCOME_WORDS[holds]})"
    return f"{name}: {found} ({'holds' if holds else 'fails'})"


def readings_words(claim: Claim, readings: Iterable[Reading]) -> str:
    """Every reading of a claim, with what it gives and whether the claim holds under it."""
    return "; ".join(verdict_line(r.name, reading_words(claim, r), r.outcome)
                     for r in readings)


def stated_words(claim: Claim) -> str:
    """A stated claim and the interval its printed precision allows: "10–15% [9.5% to 15.5%]"."""
    low, high = accepted(claim)
    top = "no upper limit" if math.isinf(high) else (
        format_number(high, claim.unit) if claim.formula == "difference" else f"{high:g}%")
    bottom = format_number(low, claim.unit) if claim.formula == "difference" else f"{low:g}%"
    return f"{format_figure(claim, claim.unit)} [{bottom} to {top}]"


def compared_figures(data: Dataset, result: Recomputed) -> str:
    """List the ML and SWE figures a claim was recomputed from."""
    return "; ".join(f"{group_label(data, p.group)}: {compared_pair(p)}"
                     for p in result.premiums)


def signed_claim(claim: Claim) -> str:
    """Write a stated premium as ML over SWE, keeping a SWE-over-ML claim's own figure."""
    if claim.premium == "ml_over_swe":
        return format_figure(claim, "percent")
    return (f"{format_percent(*stated_as_ml_premium(claim))} "
            f"(stated as SWE +{format_figure(claim, 'percent')})")


def findings(data: Dataset, audit: tuple[Recomputed, ...]) -> dict:
    """The claims audit in a few numbers and lists, for the home page's summary."""
    def line(result: Recomputed) -> str:
        return (f"{data.sources[result.claim.source]['short']}: “{result.claim.as_stated}” "
                f"(stated {format_figure(result.claim, result.claim.unit)}, its figures give "
                f"{reading_words(result.claim, result.readings[0])})")
    return {"claims": len(audit), "counts_words": verdict_counts(r.verdict.kind for r in audit),
            "kinds": {kind: sum(r.verdict.kind == kind for r in audit) for kind in VERDICTS},
            "headline": [dict(text=line(r), verdict=r.verdict.words)
                         for r in audit if r.claim.headline]}


def verdict_counts(kinds: Iterable[str]) -> str:
    """How many claims got each verdict, in the scale's order, leaving out verdicts none got:
    "16 consistent; 2 overstated; and 3 understated"."""
    kinds = list(kinds)
    parts = [f"{kinds.count(kind)} {kind}" for kind in VERDICTS if kind in kinds]
    return "; ".join(parts[:-1]) + f"; and {parts[-1]}" if len(parts) > 1 else "".join(parts)


def result_words(result: Recomputed | None) -> str:
    """A recomputed claim in a few words: "+25%, consistent"."""
    if result is None:
        return "absent"
    return f"{format_result(result.claim, result.low, result.high)}, {result.verdict.words}"
