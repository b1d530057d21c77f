"""Tables: the numbers behind each chart, as rows of text (also written as CSV and JSON)."""

from __future__ import annotations

from ..claims import Premium, Recomputed
from ..model import Dataset, Figure
from ..readings import UNTESTABLE
from ..text import (claim_about, claim_subject, cross_words, format_figure, group_label,
                    group_name, premium_interval_words, reading_words, readings_words,
                    result_percent, signed_claim, stated_words)
from ..vocabulary import POINTS, STATS
from .base import Table


def figure_table(data: Dataset, figures: list[Figure], caption: str,
                 group_title: str) -> Table:
    """Tabulate figures: source, group, role, measure, statistic, figure."""
    rows = tuple((data.sources[f.source]["short"], group_name(data, f),
                  data.roles[f.role]["name"], data.measures[f.measure]["name"],
                  STATS[f.stat] + (f" ({f.scope})" if f.scope else ""),
                  format_figure(f, f.unit), f.as_stated) for f in figures)
    columns = ("Source", group_title, "Role", "Measure", "Statistic", "Figure", "As stated")
    return Table(caption, columns, rows)


def premium_table(data: Dataset, found: list[Premium], audit, dimension: str,
                  caption: str, group_title: str) -> Table:
    """Tabulate recomputed premiums next to what each source states for the same group."""
    stated: dict[tuple[str, str], list[str]] = {}
    for result in audit:
        if result.claim.dimension == dimension:
            for index, (p, row) in enumerate(zip(result.premiums, result.rows)):
                text = f"{signed_claim(result.claim)} ({row.words}{closed_only(result, index)})"
                stated.setdefault((p.source, p.group), []).append(text)
    rows = tuple((data.sources[p.source]["short"], group_name(data, p.ml),
                  format_figure(p.ml, p.ml.unit), format_figure(p.swe, p.swe.unit),
                  premium_interval_words(p), p.formula,
                  "; ".join(stated.get((p.source, p.group), [])) or "none stated")
                 for p in found)
    columns = ("Source", group_title, "ML figure", "SWE figure", "Recomputed premium",
               "How", "Stated premium (verdict for this row)")
    return Table(caption, columns, rows)


def closed_only(result: Recomputed, index: int) -> str:
    """For a row judged though its own reading is open at both ends: what each point of the
    ranges gives, "; at the bottoms +8%; at the midpoints any value"."""
    each = [r for r in result.readings if not r.average]
    if not each[0].results[index].undetermined or result.rows[index].kind == UNTESTABLE:
        return ""
    return "".join(f"; at the {POINTS[r.points[0]]}s {result_percent(r.results[index])}"
                   for r in each)


def audit_row(data: Dataset, result: Recomputed) -> tuple[str, ...]:
    """One claim's line in the audit table."""
    claim = result.claim
    used = "; ".join(dict.fromkeys(
        f"{group_label(data, c.a.group)}: {format_figure(c.a, c.a.unit)} vs "
        f"{group_label(data, c.b.group) + ' ' if c.a.group != c.b.group else ''}"
        f"{format_figure(c.b, c.b.unit)}" for c in result.comparisons))
    readings = readings_words(claim, result.readings)
    others = "; ".join(f"{data.sources[c.source]['short']}: "
                       f"{cross_words(data, claim, c)} ({c.basis})"
                       for c in result.others) or "none comparable"
    return (data.sources[claim.source]["short"], claim.as_stated, claim_subject(data, result),
            claim_about(data, claim), stated_words(claim),
            reading_words(claim, result.readings[0]), used,
            "; ".join(dict.fromkeys(c.how for c in result.comparisons)), readings, others,
            result.verdict.words)


AUDIT_COLUMNS = ("Source", "Claim as stated", "What is compared", "About", "Stated",
                 "Its own figures give (its own reading)", "Figures used", "How",
                 "Every reading", "Other sources' figures give", "Verdict")
