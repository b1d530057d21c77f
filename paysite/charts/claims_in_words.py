"""Claims made in words, judged against their sources' own figures: verdicts per source."""

from __future__ import annotations

import altair as alt

from ..model import Dataset
from ..readings import VERDICTS
from ..worded_verdicts import WordResult, outcomes_words, words_of
from .base import ChartDataError, Drawn, Table, chart_kind
from .encodings import line_step, lines_axis, sources_note, unique, wrap_label
from .theme import VERDICT_COLORS


def word_results(data: Dataset) -> tuple[WordResult, ...]:
    """Every claim in words with its verdict, in data order."""
    if not data.words:
        raise ChartDataError("data/claims.yaml records no claims in words (words:)")
    return words_of(data)


@chart_kind("claims_in_words", "Claims made in words, by verdict")
def claims_in_words(data: Dataset, audit) -> Drawn:
    """How many of each source's claims in words hold, hold only another way, fail or cannot
    be tested; the table lists every claim with each reading and what the figures give."""
    results = word_results(data)
    counts = {}
    for result in results:
        key = (data.sources[result.claim.source]["short"], result.verdict.kind)
        counts[key] = counts.get(key, 0) + 1
    rows = [{"source": wrap_label(source), "source_name": source, "verdict": kind, "claims": n,
             "order": VERDICTS.index(kind)} for (source, kind), n in sorted(counts.items())]
    labels = unique(rows, "source")
    chart = alt.Chart(alt.Data(values=rows), height=line_step(labels))
    chart = chart.mark_bar(height=18).encode(
        y=alt.Y("source", type="nominal", title=None,
                sort=[wrap_label(s["short"]) for s in data.sources.values()],
                axis=lines_axis()),
        x=alt.X("claims", type="quantitative", title="Claims in words", stack="zero"),
        color=alt.Color("verdict", type="nominal", title="Verdict",
                        scale=alt.Scale(domain=list(VERDICTS), range=VERDICT_COLORS)),
        order=alt.Order("order", type="quantitative"),
        tooltip=[alt.Tooltip("source_name", type="nominal", title="Source"),
                 alt.Tooltip("verdict", type="nominal", title="Verdict"),
                 alt.Tooltip("claims", type="quantitative", title="Claims")])
    caption = (f"Every claim the sources make in words, read as the table says and checked "
               f"against the same source's figures. "
               f"{sources_note(data, (r.claim.source for r in results))}")
    return Drawn(chart, Table(caption, WORD_COLUMNS, tuple(word_row(data, r) for r in results)),
                 "Bars count each source's claims in words by verdict, on the audit's one "
                 "scale (consistent, consistent only under another reading, possible not "
                 "shown, overstated, understated, contradicted, not testable).")


WORD_COLUMNS = ("Source", "Claim as stated", "Line", "How it was read, and what the figures give",
                "Verdict")


def word_row(data: Dataset, result: WordResult) -> tuple[str, ...]:
    """One claim in words: each reading with what it found and whether it holds."""
    readings = outcomes_words(result) or "—"
    return (data.sources[result.claim.source]["short"], f"“{result.claim.as_stated}”",
            str(result.claim.line), readings, result.verdict.words)
