"""Words are checked like numbers: each sentence of commentary that restates figures or
computed results is tied here to the chart table that holds them. When the data moves, the
sentence's test fails until the words are brought in line (or the sentence is rewritten)."""

from __future__ import annotations

import csv
import re

import pytest

from conftest import ROOT
from paysite import readings, verbal
from paysite.claims import recompute_claims
from paysite.text import OPEN_PAIR
from paysite.load import load_data

# (page, a sentence as written, the chart table it restates, a column, the values the
# sentence states, each of which the column must hold)
CLAIMS = [
    ("employer", "the top of the start-up ML range ($130,000 – $170,000) reaches the national "
     "guide’s\n  ML median ($170,000), and the guide’s software median ($130,000) lies inside "
     "the start-up\n  software range ($120,000 – $160,000)", "employer/pay_by_employer", "Figure",
     ["$130,000 – $170,000", "$170,000", "$130,000", "$120,000 – $160,000"]),
    ("employer", "midpoint of the ML range is $10,000 to $20,000 above the software range’s",
     "switch/switch_pay", "ML minus SWE", ["$10,000", "$15,000", "$20,000", OPEN_PAIR]),
    ("employer", "at every level whose ranges are closed, +7% to +9%", "index/ladder_overview",
     "Recomputed premium", ["+7%", "+8%", "+9%"]),
    ("employer", "The large-company senior bands are closer still\n  (+6%)",
     "index/ladder_overview", "Recomputed premium", ["+6%"]),
    ("index", "highest premium, +40%, is its mid-level row", "index/ladder_overview",
     "Recomputed premium", ["+40%"]),
    ("location", "runs from +14% in\n  Chicago to +30% in Seattle; the Bay Area’s is +24% or more",
     "location/premium_by_city", "Recomputed premium", ["+14%", "+30%", "+24% or more"]),
    ("location", "reaches $317,000", "claims/claims_audit", "Verdict",
     ["possible, not shown: only if “$270,000 – $296,000+” reaches $317,000 at its top"]),
    ("location", "at the midpoints it is 12% to 23% or more", "claims/claims_audit",
     "Its own figures give (its own reading)", ["12% to 23% or more"]),
    ("employer", "small premium (+7%\nto +9% of base salary at the midpoints)",
     "index/ladder_overview", "Recomputed premium", ["+7%", "+9%"]),
    ("employer", "the national ML range\n($160,000 – $190,000) lies between the start-ups’ junior ML "
     "range ($130,000 – $170,000) and\ntheir mid-level one ($170,000 – $220,000), and the "
     "national software range\n($116,000 – $140,000) is below the start-ups’ junior software "
     "range ($120,000 – $160,000)", "employer/base_like_for_like", "Figure",
     ["$160,000 – $190,000", "$130,000 – $170,000", "$170,000 – $220,000",
      "$116,000 – $140,000", "$120,000 – $160,000"]),
    ("employer", "Their principal band reaches\n  $1,200,000", "employer/pay_by_employer",
     "Figure", ["$650,000 – $1,200,000"]),
    ("employer", "($420,000 – $700,000) takes in the national guide’s senior ML median ($550,000)",
     "employer/pay_by_employer", "Figure", ["$420,000 – $700,000", "$550,000"]),
    ("employer", "Its senior medians ($550,000 for ML,\n  $420,000 for software)",
     "employer/pay_by_employer", "Figure", ["$550,000", "$420,000"]),
    ("employer", "At mid level its ML median\n  ($350,000)", "employer/pay_by_employer",
     "Figure", ["$350,000", "$260,000 – $360,000"]),
    ("switch", "($10,000 to $20,000 of base salary, where both ranges are closed)",
     "switch/switch_pay", "ML minus SWE", ["$10,000", "$20,000", OPEN_PAIR]),
    ("switch", "The large-company bands give $50,000 at L3, L4 and L6,\nthe bottom of the stated "
     "gain, $20,000 at L5, and $185,000 only at principal level.", "switch/switch_pay",
     "ML minus SWE", ["$50,000", "$20,000", "$185,000"]),
    ("claims", "the midpoints\n  give +7% to +9%", "claims/claims_audit",
     "Its own figures give (its own reading)", ["+7% to +9%"]),
    ("claims", "overstated by its own\n  senior bands (+6%)", "claims/claims_audit",
     "Its own figures give (its own reading)", ["+6%"]),
    ("claims", "holds for the average of its five levels (+17%)", "claims/claims_audit",
     "Every reading", ["midpoints of the ranges, average of the levels: +17%"]),
    ("claims", "a floor (“+24% or more”)", "claims/claims_audit",
     "Its own figures give (its own reading)", ["+24% or more"]),
    ("claims", "open top\n  reaches $317,000", "claims/claims_audit", "Verdict",
     ["possible, not shown: only if “$270,000 – $296,000+” reaches $317,000 at its top"]),
    ("claims", "hub by hub the midpoints give 12% to 23% or more", "claims/claims_audit",
     "Its own figures give (its own reading)", ["12% to 23% or more"]),
    ("specialisation", "midpoint is about 8% higher", "specialisation/specialisation_pay",
     "Midpoint vs ML", ["+8%"]),
    ("specialisation", "about 1% above it\nat the midpoint", "specialisation/specialisation_pay",
     "Midpoint vs ML", ["+1%"]),
    ("specialisation", "distributed systems by\nabout 14% and security by about 7%",
     "specialisation/specialisation_pay", "Midpoint vs general SWE", ["+14%", "+7%"]),
    ("distribution", "package is about 38% above the median software package",
     "claims/claims_audit", "Its own figures give (its own reading)", ["+38%"]),
]


@pytest.mark.parametrize("page, sentence, table, column, values", CLAIMS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CLAIMS)])
def test_a_sentence_restating_figures_agrees_with_its_table(real_site, page, sentence, table,
                                                            column, values):
    text = (ROOT / "content" / f"{page}.md").read_text(encoding="utf-8")
    assert sentence in text, f"content/{page}.md no longer says: {sentence!r}"
    with open(real_site / "downloads" / f"{table}.csv", newline="", encoding="utf-8") as rows:
        cells = {row[column] for row in csv.DictReader(rows)}
    # A cell's parts too: "+7% to +9% [+6.4% to +9.2%]; 1 pair ..." holds "+7% to +9%".
    cells |= {part for cell in cells for part in re.split(r" \[|; ", cell)}
    assert [value for value in values if value not in cells] == []


def test_about_figures_are_the_tables_rounded():
    """'about 14%' stands for +14.3%: the rounding is the only liberty taken."""
    for _, sentence, _, _, values in CLAIMS:
        for about in re.findall(r"about (\d+)%", sentence):
            assert any(round(float(v.strip("+%"))) == int(about) for v in values), sentence


# Numbers in the commentary that state the audit's own rules, each with the code it must match.
RULES = {"$1,000": lambda: readings.ROUND_TO["usd_per_year"] == 1000,
         "$1.2": lambda: readings.printed_step(1_200_000, "$1.2M", "usd_per_year", False)
         == 100_000}
NUMBER = re.compile(r"(?<![\w.])[$~+]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:%|K)?")


def data_numbers() -> set[float]:
    """Every number written anywhere in data/ (figures, claims, stated text, level years)."""
    found = set()
    for path in (ROOT / "data").glob("*.yaml"):
        for token in NUMBER.findall(path.read_text(encoding="utf-8")):
            found.add(as_number(token))
    return found


def as_number(token: str) -> float:
    digits = token.strip("$~+%,").rstrip("K").replace(",", "")
    return float(digits) * (1000 if token.endswith("K") else 1)


def unaccounted(page: str, known: set[float]) -> list[str]:
    """Numbers of a page's text that no CLAIMS sentence, rule or data value accounts for."""
    text = (ROOT / "content" / f"{page}.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    body = re.sub(r"\{\{.*?\}\}", "", body)                    # placeholders: the build's
    body = re.sub(r"\]\([^)]*\)", "]", body)                    # link targets
    for _, sentence, *_ in (c for c in CLAIMS if c[0] == page):
        body = body.replace(sentence, " ")                    # tested against their tables
    left = []
    for token in NUMBER.findall(body):
        if token in RULES:
            assert RULES[token](), f"content/{page}.md states the rule {token}; the code differs"
        elif token.startswith("+") or as_number(token) not in known:
            left.append(token)  # a signed percent is a computed result: it needs a CLAIMS entry
    return left


@pytest.mark.parametrize("page", sorted(p.stem for p in (ROOT / "content").glob("*.md")))
def test_every_number_in_the_commentary_is_checked(page):
    """Each number either comes from the build (a placeholder), is tied to a chart table
    above, states one of the audit's rules, or is a value data/ records."""
    assert unaccounted(page, data_numbers()) == []


def test_an_unchecked_computed_number_is_caught(tmp_path):
    known = data_numbers()
    assert as_number("$476,000") in known and as_number("$100K") in known
    assert as_number("$123,457") not in known


# Sentences about claims in words: (page, sentence, claim id, the verdict the sentence gives).
VERDICT_SENTENCES = [
    ("claims", "“Python and PyTorch dominate the requirements” is contradicted",
     "jobboard-09-python-pytorch-dominate", "contradicted"),
    ("claims", "“The Bay Area\n  and New York dominate both” fails", "jobboard-32-bay-area-new-york",
     "contradicted"),
    ("claims", "“Both roles lean experienced” holds only if it means that few postings are for\n"
     "  entry level", "jobboard-31-lean-experienced", "consistent only under another reading"),
    ("claims", "“the premium widens with seniority” holds\n  in dollars but not in percent",
     "usguide-06-widens-with-seniority", "consistent only under another reading"),
    ("claims", "“widest at junior and principal, narrowest at senior” holds",
     "mlesalary-02a-widest-junior-principal", "consistent"),
    ("claims", "“widest at junior and principal, narrowest at senior” holds",
     "mlesalary-02b-narrowest-senior", "consistent"),
    ("claims", "“equity stakes are also often higher for\n  ML roles”", "rfs-06-ml-higher-equity",
     "consistent"),
    ("claims", "calls the ML premium “slightly higher” or “modest”", "usguide-15-modest-advantage",
     "understated"),
    ("claims", "“The median filters out\n  outlier offers … that can skew averages” is contradicted",
     "jobboard-25-median-filters-outliers", "contradicted"),
    # Claims stated as numbers (the audit of data/claims.yaml's claims:)
    ("claims", "(“typically earn 10–15% more”) is overstated", "rfs-headline", "overstated"),
    ("claims", "headline premium for senior level is overstated", "mlesalary-headline",
     "overstated"),
    ("claims", "15 to 30 percent at hyperscalers fails level by level but\n  holds for the "
     "average", "mlesalary-hyperscalers", "consistent only under another reading"),
    ("claims", "level table is consistent with its own medians", "usguide-entry-table",
     "consistent"),
    ("claims", "level table is consistent with its own medians", "usguide-mid-table",
     "consistent"),
    ("claims", "level table is consistent with its own medians", "usguide-senior-table",
     "consistent"),
    ("claims", "entry and mid-level premiums below them: both are understated",
     "usguide-entry-text", "understated"),
    ("claims", "entry and mid-level premiums below them: both are understated",
     "usguide-mid-text", "understated"),
    ("claims", "“can hit 40–45% or\n  more” is consistent", "usguide-senior-text", "consistent"),
    ("claims", "New York\n  and Chicago hold only when", "usguide-nyc",
     "consistent only under another reading"),
    ("claims", "New York\n  and Chicago hold only when", "usguide-chicago",
     "consistent only under another reading"),
    ("claims", "30–40% is possible, not shown", "usguide-sf", "possible, not shown"),
    ("location", "Area the stated 30–40% is possible, not shown", "usguide-sf",
     "possible, not shown"),
    ("location", "so the audit finds the dip understated", "usguide-remote-dip", "understated"),
    ("location", "For New York and Chicago, the premium the guide states for the city holds "
     "only when", "usguide-nyc", "consistent only under another reading"),
    ("location", "For New York and Chicago, the premium the guide states for the city holds "
     "only when", "usguide-chicago", "consistent only under another reading"),
    ("experience", "the audit finds the 15 to 30 percent overstated", "mlesalary-headline",
     "overstated"),
    ("claims", "remote “dip” is understated", "usguide-remote-dip", "understated"),
    ("claims", "shares and its salary-ceiling gap check out", "jobboard-share-ml", "consistent"),
    ("claims", "shares and its salary-ceiling gap check out", "jobboard-share-swe", "consistent"),
    ("claims", "shares and its salary-ceiling gap check out", "jobboard-ceiling", "consistent"),
    ("claims", "headline “67% more” holds\n  only when the tops", "jobboard-headline",
     "consistent only under another reading"),
]


# Sentences about a claim tested on another source's figures: (page, sentence, claim id,
# the other source, the verdict the sentence gives).
ACROSS_SENTENCES = [
    ("claims", "overstated on the\nlarge-company article’s senior bands", "usguide-senior-text",
     "mlesalary", "overstated"),
    ("claims", "and on the start-up recruiter’s senior ranges", "usguide-senior-text", "rfs",
     "overstated"),
]


@pytest.mark.parametrize("page, sentence, claim, other, verdict", ACROSS_SENTENCES)
def test_a_sentence_about_sources_against_each_other_gives_the_verdict(page, sentence, claim,
                                                                       other, verdict):
    text = (ROOT / "content" / f"{page}.md").read_text(encoding="utf-8")
    assert sentence in text, f"content/{page}.md no longer says: {sentence!r}"
    results = {r.claim.id: r for r in recompute_claims(load_data(ROOT / "data"))}
    [check] = [c for c in results[claim].others if c.source == other]
    assert check.verdict.kind == verdict


@pytest.mark.parametrize("page, sentence, claim, verdict", VERDICT_SENTENCES,
                         ids=[c[2] for c in VERDICT_SENTENCES])
def test_a_sentence_about_a_claim_in_words_gives_its_verdict(page, sentence, claim, verdict):
    text = (ROOT / "content" / f"{page}.md").read_text(encoding="utf-8")
    assert sentence in text, f"content/{page}.md no longer says: {sentence!r}"
    data = load_data(ROOT / "data")
    results = {r.claim.id: r for r in verbal.judge_words(data.words, data.figures, {})}
    results |= {r.claim.id: r for r in recompute_claims(data)}
    assert results[claim].verdict.kind == verdict
