"""Charts of premiums: what each source's own figures give, against what the source states."""

from __future__ import annotations

import altair as alt

from ..claims import Premium, stated_as_ml_premium
from ..readings import TOLERANCE_WORDS, result_of
from ..model import Claim, Dataset
from ..text import (OPEN_PAIR, claim_about, compared_figures, compared_pair, cross_words,
                    format_figure, format_number, group_label, premium_group, premium_words,
                    premiums_words, role_word, signed_claim)
from .base import Drawn, Table, chart_kind
from .encodings import (HEADER_LINE, by_panel, fixed_color, ladder_names, level_y,
                        lines_axis, nominal_tooltip, note, noted, place_y, qualifier_fields,
                        qualifier_marks, ranked_premiums, select, sources_note,
                        span_and_point, unique, usd_axis, wrap_label)
from .tables import AUDIT_COLUMNS, audit_row, premium_table
from .theme import (KIND_COLORS, MARK_STROKE, RECOMPUTED, SOURCE_COLORS, STATED, STATED_GAIN,
                    ZERO_RULE)


def recomputed_row(data: Dataset, premium: Premium, group_field: str, group: str) -> dict:
    """A chart row for one premium recomputed from a source's own pair of figures: a diamond
    when the figures close it, an open-end mark at a floor, nothing when both figures end in
    "or more" (the tooltip and the table say "any value")."""
    result = premium.result
    shut = not (result.open_above or result.open_below)
    floor = result.open_above and not result.open_below
    return {"source": data.sources[premium.source]["short"], group_field: group,
            "panel": compared_roles(data, premium.source),
            "kind": RECOMPUTED, "value": round(premium.percent, 1) if shut else None,
            "low": None, "high": None, "slot": 0,
            "open_at": round(premium.percent, 1) if floor else None,
            "any_value": "any value" if result.undetermined else None,
            "detail": f"{premium_words(premium)}: {premium.formula}",
            "stated": f"{group_label(data, premium.group)}: {compared_pair(premium)}"}


def stated_row(data: Dataset, claim: Claim, group_field: str, group: str, slot: int) -> dict:
    """A chart row for a stated premium, as ML over SWE; a single value gets a visible width."""
    low, high = stated_as_ml_premium(claim)
    pad = 0.5 if low == high else 0
    return {"source": data.sources[claim.source]["short"], group_field: group,
            "panel": compared_roles(data, claim.source),
            "kind": STATED, "value": None, "low": round(low - pad, 1),
            "high": round(high + pad, 1), "slot": slot, "detail": f"claim {claim.id}",
            "stated": claim.as_stated,
            "open_at": round(high + pad, 1) if "open_ended" in claim.qualifiers else None}


def premium_rows(data: Dataset, found: list[Premium], audit, dimension: str,
                 group_field: str) -> list[dict]:
    """Rows for a premium chart: recomputed points, then one band per stated claim."""
    rows = [recomputed_row(data, p, group_field, premium_group(data, p)) for p in found]
    slots: dict[tuple[str, str], int] = {}
    for result in audit:
        if result.claim.dimension != dimension:
            continue
        for premium in result.premiums:
            key = (premium.source, premium.group)
            slots[key] = slots.get(key, 0) + 1
            rows.append(stated_row(data, result.claim, group_field,
                                   premium_group(data, premium), slots[key]))
    return rows


def premium_chart(rows: list[dict], y: alt.Y, facet: bool) -> alt.TopLevelMixin:
    """Stated premium bands behind recomputed premium points, over a rule at zero."""
    base = alt.Chart().encode(
        y=y, yOffset=alt.YOffset("slot", type="ordinal"), color=fixed_color("kind", KIND_COLORS),
        tooltip=nominal_tooltip(source="Source", kind="Kind", stated="Figures", detail="How"))
    zero = alt.Chart().mark_rule(color=ZERO_RULE).encode(x=alt.XDatum(0))
    axis = alt.Axis(title="ML premium over SWE (%)", tickCount=5)
    place = alt.Chart().encode(y=y, yOffset=alt.YOffset("slot", type="ordinal"))
    # A pair whose figures both end in "or more" gets words at zero, not a mark.
    anything = [place.transform_filter("datum.any_value").mark_text(
        align="left", dx=4, fontSize=11).encode(x=alt.XDatum(0), text="any_value:N")
                ] if any(row.get("any_value") for row in rows) else []
    chart = span_and_point(rows, base.mark_bar(height=7, cornerRadius=2),
                           base.mark_point(filled=True, size=70, shape="diamond", opacity=1),
                           axis, under=(zero,),
                           over=qualifier_marks(rows, place, axis) + anything)
    return by_panel(chart, rows, "panel", title=note(rows)) if facet else noted(chart, rows)


def compared_roles(data: Dataset, source: str) -> str:
    """A source's panel title with the two roles in its own words: a source that compares
    ML engineers with AI software engineers says so on the chart, not only in the text."""
    return wrap_label(f"{data.sources[source]['short']}|{role_word(data, 'mle', source)} vs "
                      f"{role_word(data, 'swe', source)}", HEADER_LINE)


def premium_view(data: Dataset, audit, dimension: str, y: alt.Y, facet: bool,
                 group_title: str, where: str, unit: str = "usd_per_year") -> Drawn:
    """Recomputed premiums as diamonds over stated premiums as bands, with their table."""
    found = ranked_premiums(data, dimension, unit)
    rows = premium_rows(data, found, audit, dimension, y.shorthand)
    caption = (f"ML premium over SWE pay by {where}. Agreement: {TOLERANCE_WORDS}. "
               f"{sources_note(data, (p.source for p in found))}")
    return Drawn(premium_chart(rows, y, facet),
                 premium_table(data, found, audit, dimension, caption, group_title),
                 f"Diamonds show the premium recomputed from each source's own figures; grey "
                 f"bands show the premium the source states for the same {where}.")


@chart_kind("premium_by_level", "ML premium by level, recomputed and as stated",
            reads=("experience",))
def premium_by_level(data: Dataset, audit) -> Drawn:
    """Per source and level, the premium its own figures give and the premium it states."""
    return premium_view(data, audit, "experience", level_y(data), True,
                        "Level (source's label)", "level")


@chart_kind("premium_by_city", "ML premium by city, recomputed and as stated",
            reads=("location",))
def premium_by_city(data: Dataset, audit) -> Drawn:
    """Per city, the premium the figures give and the premium the source states."""
    return premium_view(data, audit, "location", place_y(data), False, "Place", "city")


@chart_kind("switch_pay", "What a switch pays, against the level tables",
            reads=("experience", "switch"))
def switch_pay(data: Dataset, audit) -> Drawn:
    """The stated pay gain of a switch next to the ML-minus-SWE gap at each level."""
    found = ranked_premiums(data, "experience")
    gains = select(data, "switch", measures=["switch_pay_gain"])
    rows = switch_rows(data, found, gains)
    tooltip = nominal_tooltip(source="Source", kind="What", label="Group", figure="Figures")
    band = alt.Chart().mark_bar(color=STATED_GAIN, opacity=0.8).encode(
        y=level_y(data), tooltip=tooltip)
    points = alt.Chart().mark_point(filled=True, size=70, stroke=MARK_STROKE,
                                    strokeWidth=0.6).encode(
        y=level_y(data), shape=alt.Shape("source", type="nominal", title=None),
        color=alt.Color("source", type="nominal", title=None,
                        scale=alt.Scale(range=SOURCE_COLORS)),
        tooltip=tooltip)
    axis = usd_axis("ML pay minus SWE pay (USD per year)", ticks=5)
    chart = noted(span_and_point(rows, band, points, axis, over=qualifier_marks(
        rows, alt.Chart().encode(y=level_y(data)), axis)), rows)
    caption = (f"How much more ML engineers are paid than software engineers at each level "
               f"(midpoints or medians), against the gain a switch is said to bring. "
               f"{sources_note(data, [p.source for p in found] + [f.source for f in gains])}")
    return Drawn(chart, switch_table(data, rows, gains, caption),
                 "The grey band is the stated gain from switching; symbols show the ML-minus-"
                 "SWE pay gap each source's level table gives.")


def switch_rows(data: Dataset, found: list[Premium], gains: list) -> list[dict]:
    """One row per level table's ML-minus-SWE gap, and each stated gain at every level."""
    rows = [gap_row(data, p) for p in found]
    return rows + [{"source": data.sources[fig.source]["short"], "level": name, "value": None,
                    "kind": "Stated gain from a switch", "figure": format_figure(fig, fig.unit),
                    "label": fig.scope or "", "low": fig.low, "high": fig.high,
                    **qualifier_fields(fig)}
                   for fig in gains for name in ladder_names(data)]


def gap_row(data: Dataset, premium: Premium) -> dict:
    """One level table's ML-minus-SWE gap: a point when its figures close it, an open-end
    mark at a floor, words alone when both figures end in "or more"."""
    gap = result_of("difference", premium.ml, premium.swe, ("center", "center"))
    shut = not (gap.open_above or gap.open_below)
    words = (OPEN_PAIR if gap.undetermined else format_number(gap.value, "usd_per_year")
             + ("" if shut else " or more" if gap.open_above else " or less"))
    return {"source": data.sources[premium.source]["short"],
            "level": data.ladder[premium.level]["name"], "value": gap.value if shut else None,
            "open_at": gap.value if gap.open_above and not gap.open_below else None,
            "gap": words, "kind": "ML minus SWE, from level tables",
            "figure": compared_pair(premium), "label": premium.group, "low": None,
            "high": None}


def switch_table(data: Dataset, rows: list[dict], gains: list, caption: str) -> Table:
    """The level tables' gaps, then each stated gain once."""
    gaps = tuple((r["source"], f"{r['level']} ({r['label']})", r["figure"], r["gap"])
                 for r in rows if "gap" in r)
    stated = tuple((data.sources[f.source]["short"], f.scope or "",
                    format_figure(f, f.unit), "stated gain") for f in gains)
    return Table(caption, ("Source", "Level or group", "Figures", "ML minus SWE"),
                 gaps + stated)


def claim_label(data: Dataset, claim, rows: list[dict]) -> str:
    """A claim's label on the chart: who claims what, and its id where two would read alike."""
    label = wrap_label(f"{claim_about(data, claim)}: {format_figure(claim, 'percent')}")
    if any(row["claim"] == label for row in rows):
        label = wrap_label(f"{claim_about(data, claim)}: "
                           f"{format_figure(claim, 'percent')} ({claim.id})")
    return label


@chart_kind("claims_audit", "Every premium claim against its source's own figures")
def claims_audit(data: Dataset, audit) -> Drawn:
    """All premium claims as bands, the premiums their figures give as diamonds."""
    rows = []
    for result in audit:
        if not result.premiums:
            continue
        claim = result.claim
        label = claim_label(data, claim, rows)
        rows.append(stated_row(data, claim, "claim", label, 1))
        rows += [recomputed_row(data, p, "claim", label) for p in result.premiums]
    y = alt.Y("claim", type="nominal", title=None, sort=unique(rows, "claim"),
              axis=lines_axis())
    caption = (f"Every claim, stated against recomputed. Agreement: {TOLERANCE_WORDS}. "
               f"{sources_note(data, (r.claim.source for r in audit))}")
    return Drawn(premium_chart(rows, y, True),
                 Table(caption, AUDIT_COLUMNS, tuple(audit_row(data, r) for r in audit)),
                 "Per source, each premium claim as a grey band (as ML over SWE pay) and the "
                 "premium its own figures give as diamonds; the table also lists claims about "
                 "shares, dips and dollar gaps.")


@chart_kind("headline_premium", "Each source's headline claim, recomputed")
def headline_premium(data: Dataset, audit) -> Drawn:
    """Each source's headline premium claim next to the premium its own figures give."""
    results = [r for r in audit if r.claim.headline]
    rows = []
    for result in results:
        source = data.sources[result.claim.source]["short"]
        rows.append(stated_row(data, result.claim, "source", source, 1))
        rows += [recomputed_row(data, p, "source", source) for p in result.premiums]
    chart = premium_chart(rows, alt.Y("source", type="nominal", title=None, axis=None), True)
    table_rows = tuple(
        (data.sources[r.claim.source]["short"], data.sources[r.claim.source]["population"],
         r.claim.as_stated, signed_claim(r.claim), premiums_words(data, list(r.premiums)),
         compared_figures(data, r), r.premiums[0].formula, r.verdict.words) for r in results)
    caption = (f"Headline claims: the ML premium over SWE pay each source states, and what "
               f"its own figures give (negative: SWE paid more). Agreement: {TOLERANCE_WORDS}. "
               f"{sources_note(data, (r.claim.source for r in results))}")
    table = Table(caption, ("Source", "Population", "Claim as stated", "Stated ML premium",
                            "Recomputed", "Figures compared", "How", "Verdict"), table_rows)
    return Drawn(chart, table, "For each source, a grey band shows its headline ML premium and "
                               "diamonds show the premium recomputed from its own figures.")


@chart_kind("claims_across_sources", "Claims one source makes, tested on another's figures")
def claims_across_sources(data: Dataset, audit) -> Drawn:
    """Each premium claim as a band, and the premiums every other source's figures give at the
    same levels or places as marks, with the claim judged on them on the audit's scale."""
    rows, table = [], []
    for result in (r for r in audit if r.others):
        claim = result.claim
        label = claim_label(data, claim, rows)
        rows.append(stated_row(data, claim, "claim", label, 1))
        panel = rows[-1]["panel"]  # the claim's source: its panel holds the others' marks
        for check in result.others:
            rows += [dict(recomputed_row(data, p, "claim", label), panel=panel)
                     for p in check.premiums]
            table.append((data.sources[claim.source]["short"], claim.as_stated,
                          data.sources[check.source]["short"], cross_words(data, claim, check),
                          check.basis, check.verdict.words))
    y = alt.Y("claim", type="nominal", title=None, sort=unique(rows, "claim"),
              axis=lines_axis())
    caption = (f"Premium claims tested on the other sources' figures at the same levels or "
               f"places, on the audit's scale. The sources describe different people, so these "
               f"verdicts say how far the sources disagree; they are kept apart from each "
               f"claim's verdict on its own source's figures. "
               f"{sources_note(data, (r.claim.source for r in audit if r.others))}")
    return Drawn(premium_chart(rows, y, True),
                 Table(caption, ("Claim by", "Claim as stated", "Tested on", "Its figures give",
                                 "How", "Verdict on these figures"), tuple(table)),
                 "Per source, each claim as a grey band (as ML over SWE pay), and as diamonds "
                 "the premiums the other sources' figures give for the same levels or places.")
