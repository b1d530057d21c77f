"""Provenance: every figure in data/ is quoted from its source, with the same numbers."""

import re

import pytest

from conftest import ROOT, build

SEEDS = ROOT.parent / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source articles not at {SEEDS}")

NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([kKM]?)")


def normalise(text: str) -> str:
    return " ".join(text.split())


def numbers_in(text: str) -> list[float]:
    """The numbers a quoted figure states, with K and M expanded: "$1.2M" -> 1200000."""
    scale = {"": 1, "k": 1_000, "K": 1_000, "M": 1_000_000}
    return [float(digits.replace(",", "")) * scale[suffix]
            for digits, suffix in NUMBER.findall(text)]


@pytest.fixture(scope="module")
def data():
    return build.load_data(ROOT / "data")


@pytest.fixture(scope="module")
def seed_texts(data):
    return {key: normalise((SEEDS / source["seed"]).read_text(encoding="utf-8"))
            for key, source in data.sources.items()}


@pytest.mark.parametrize("text, numbers", [
    ("$130,000 - $170,000", [130000, 170000]), ("$650k - $1.2M TC", [650000, 1200000]),
    ("ML $150K–$190K", [150000, 190000]), ("0.15% - 0.4%", [0.15, 0.4]), ("L5", [5])])
def test_numbers_in(text, numbers):
    assert numbers_in(text) == numbers


def test_every_figure_is_quoted_from_its_source(data, seed_texts):
    missing = [f"{f.source}: {f.as_stated!r}" for f in data.figures
               if normalise(f.as_stated) not in seed_texts[f.source]]
    missing += [f"{c.source}: {c.as_stated!r}" for c in data.claims
                if normalise(c.as_stated) not in seed_texts[c.source]]
    assert missing == []


def test_typed_numbers_match_the_quote(data):
    wrong = []
    for item in [*data.figures, *data.claims]:
        typed = [item.value] if item.value is not None else [item.low, item.high]
        if getattr(item, "unit", "percent") == "rank":
            continue  # a rank is a position in a quoted list, not a number in it
        if not set(typed) <= set(numbers_in(item.as_stated)):
            wrong.append(f"{item.source}: {item.as_stated!r} typed as {typed}")
    assert wrong == []
