"""The audit on the site's own data: no result resting on an open end printed as a closed
number in any published table, chart's data or download. (The verdicts the commentary
states of particular claims are tied in content/ and checked by every build; the rules that
give them are tested on small inline figures in test_compute.py.)"""

from __future__ import annotations

import csv
import json
import re

import pytest

from conftest import ROOT
from paysite.claims import premiums, recompute_claims
from paysite.load import load_data
from paysite.text import format_figure, format_number, format_result, whole_percent


@pytest.fixture(scope="module")
def data():
    return load_data(ROOT / "data")


@pytest.fixture(scope="module")
def audit(data):
    return {r.claim.id: r for r in recompute_claims(data)}


OPEN_MARKS = ("or more", "or less", "any value", "open at both ends")


def open_results(data) -> tuple[set[str], set[float]]:
    """The words and numbers a result resting on an open end would show if written closed
    ("+24%", 24.4), leaving out any that a closed result also shows."""
    shut, opened = set(), set()
    for dimension in data.group_kinds:
        for premium in premiums(data.figures, dimension):
            result = premium.result
            side = opened if result.open_above or result.open_below else shut
            side.add((whole_percent(premium.percent), round(premium.percent, 1)))
            gap = premium.ml.center - premium.swe.center  # the switch chart's dollar gap
            side.add((format_number(gap, premium.ml.unit), round(gap, 1)))
    for result in recompute_claims(data):
        for reading in result.readings:
            for one in reading.results:
                side = opened if one.open_above or one.open_below else shut
                side.add((format_result(result.claim, one.value, one.value),
                          round(one.value, 1)))
    # Signed percents and dollars only: an unsigned "18%" (a dip) is also a share of
    # postings; and not a number some figure states.
    stated = {format_figure(f, f.unit) for f in data.figures}
    words = {w for w, _ in opened if w[0] in "+-$"} - {w for w, _ in shut} - stated
    numbers = {n for _, n in opened} - {n for _, n in shut}
    return words, numbers


def closed_mentions(cell: str, words: set[str]) -> list[str]:
    """The parts of a cell (split at ';') that show an open result's words with no open mark."""
    return [part for part in cell.split(";") for word in words
            if re.search(rf"(?<![\d.]){re.escape(word)}(?![\d.])", part)
            and not any(mark in part for mark in OPEN_MARKS)]


def test_no_result_resting_on_an_open_end_is_printed_closed(real_site, data):
    words, numbers = open_results(data)
    assert words and numbers  # the site's data has open ends: the test has something to find
    found = []
    for path in sorted((real_site / "downloads").rglob("*.csv")):
        with open(path, newline="", encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                found += [(path.name, part) for cell in row.values()
                          for part in closed_mentions(cell or "", words)]
    for path in sorted((real_site / "downloads").rglob("*.json")):
        found += [(path.name, row) for row in data_rows(json.loads(path.read_text("utf-8")))
                  if bare_number(row, numbers)]
    assert found == []


def data_rows(node) -> list[dict]:
    """Every row of data in a chart's spec or a table's JSON: the dicts in any list."""
    if isinstance(node, dict):
        return [row for value in node.values() for row in data_rows(value)]
    if isinstance(node, list):
        return [item for item in node if isinstance(item, dict)] + [
            row for item in node for row in data_rows(item)]
    return []


def bare_number(row: dict, numbers: set[float]) -> bool:
    """Whether a chart row carries an open result's number as a closed value: not as the
    place of its open-end mark, and with no open mark in its words."""
    said = " ".join(str(v) for v in row.values() if isinstance(v, str))
    return any(isinstance(value, float) and value in numbers and key != "open_at"
               and not any(mark in said for mark in OPEN_MARKS)
               for key, value in row.items())


def test_the_claims_download_says_which_results_are_open(real_site, audit):
    with open(real_site / "downloads" / "claims.csv", newline="", encoding="utf-8") as rows:
        marked = {row["id"]: row["recomputed_open"] for row in csv.DictReader(rows)}
    for claim_id, result in audit.items():
        own = result.readings[0]
        assert bool(marked[claim_id]) == (own.open_above or own.open_below), claim_id
