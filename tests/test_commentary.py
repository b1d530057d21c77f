"""Words are checked like numbers: each sentence of commentary that restates figures or
computed results is tied here to the chart table that holds them. When the data moves, the
sentence's test fails until the words are brought in line (or the sentence is rewritten)."""

from __future__ import annotations

import csv
import re

import pytest

from conftest import ROOT

# (page, a sentence as written, the chart table it restates, a column, the values the
# sentence states, each of which the column must hold)
CLAIMS = [
    ("employer", "the start-up\n  ML range ($130,000 – $170,000) reaches the national guide’s ML "
     "median ($170,000)", "employer/pay_by_employer", "Figure",
     ["$130,000 – $170,000", "$170,000"]),
    ("employer", "midpoint of the ML range is $10,000 to $25,000 above the software range’s",
     "switch/switch_pay", "ML minus SWE", ["$10,000", "$15,000", "$20,000", "$25,000"]),
    ("employer", "at every level,\n  +7.1% to +8.7%.", "index/ladder_overview",
     "Recomputed premium", ["+7.1%", "+8.3%", "+8.7%", "+8.6%"]),
    ("employer", "The large-company senior bands are closer still (+5.7%)",
     "index/ladder_overview", "Recomputed premium", ["+5.7%"]),
    ("employer", "Their principal band reaches\n  $1,200,000", "employer/pay_by_employer",
     "Figure", ["$650,000 – $1,200,000"]),
    ("employer", "($420,000 – $700,000) takes in the national guide’s senior ML median ($550,000)",
     "employer/pay_by_employer", "Figure", ["$420,000 – $700,000", "$550,000"]),
    ("employer", "Its senior medians ($550,000 for ML,\n  $420,000 for software)",
     "employer/pay_by_employer", "Figure", ["$550,000", "$420,000"]),
    ("employer", "At mid level its ML median\n  ($350,000)", "employer/pay_by_employer",
     "Figure", ["$350,000", "$260,000 – $360,000"]),
    ("switch", "($10,000 to $25,000 of base salary)", "switch/switch_pay", "ML minus SWE",
     ["$10,000", "$25,000"]),
    ("switch", "The large-company bands give $50,000 at L3, L4 and L6,\nthe bottom of the stated "
     "gain, $20,000 at L5, and $185,000 only at principal level.", "switch/switch_pay",
     "ML minus SWE", ["$50,000", "$20,000", "$185,000"]),
    ("claims", "level by the midpoint rule (+7.1% to +8.7%)", "claims/claims_audit",
     "Recomputed from its own figures", ["+7.1% to +8.7%"]),
    ("claims", "claim, both +10.0%", "claims/claims_audit", "Same formula on range ends",
     ["bottoms of the ranges: +6.2% to +10.0%; tops of the ranges: +6.2% to +10.0%"]),
    ("specialisation", "distributed systems by\nabout 14% and security by about 7%",
     "specialisation/specialisation_pay", "Midpoint vs general SWE", ["+14.3%", "+7.1%"]),
]


@pytest.mark.parametrize("page, sentence, table, column, values", CLAIMS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CLAIMS)])
def test_a_sentence_restating_figures_agrees_with_its_table(real_site, page, sentence, table,
                                                            column, values):
    text = (ROOT / "content" / f"{page}.md").read_text(encoding="utf-8")
    assert sentence in text, f"content/{page}.md no longer says: {sentence!r}"
    with open(real_site / "downloads" / f"{table}.csv", newline="", encoding="utf-8") as rows:
        cells = {row[column] for row in csv.DictReader(rows)}
    assert [value for value in values if value not in cells] == []


def test_about_figures_are_the_tables_rounded():
    """'about 14%' stands for +14.3%: the rounding is the only liberty taken."""
    for _, sentence, _, _, values in CLAIMS:
        for about in re.findall(r"about (\d+)%", sentence):
            assert any(round(float(v.strip("+%"))) == int(about) for v in values), sentence
