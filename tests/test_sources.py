"""Provenance: every figure in data/ is quoted from its source, with the same numbers.

The saved copy of each source's article is data/sources/<id>.txt, in the repository, so these
tests run in every clone: a source without its text is a failure, never a skip."""

import re

import pytest

from conftest import ROOT
from paysite import load

TEXTS = ROOT / "data" / load.SOURCE_TEXTS

NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([kKM](?![A-Za-z])|)")


def normalise(text: str) -> str:
    return " ".join(text.split())


def numbers_in(text: str) -> list[float]:
    """The numbers a quoted figure states, with K and M expanded: "$1.2M" -> 1200000."""
    scale = {"": 1, "k": 1_000, "K": 1_000, "M": 1_000_000}
    return [float(digits.replace(",", "")) * scale[suffix]
            for digits, suffix in NUMBER.findall(text)]


@pytest.fixture(scope="module")
def data():
    return load.load_data(ROOT / "data")


def source_text(data_dir, source_id: str) -> str:
    """The saved copy of a source's article, whitespace normalised."""
    return normalise((data_dir / load.SOURCE_TEXTS / f"{source_id}.txt").read_text(
        encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_texts(data):
    return {key: source_text(ROOT / "data", key) for key in data.sources}


def test_every_source_has_its_saved_text_and_every_text_its_source(data):
    saved = sorted(p.stem for p in TEXTS.glob("*.txt"))
    assert saved == sorted(data.sources), (
        f"data/sources/ holds {saved}; data/sources.yaml lists {sorted(data.sources)}")


@pytest.mark.parametrize("text, numbers", [
    ("$130,000 - $170,000", [130000, 170000]), ("$650k - $1.2M TC", [650000, 1200000]),
    ("ML $150K–$190K", [150000, 190000]), ("0.15% - 0.4%", [0.15, 0.4]), ("L5", [5]),
    ("212 ML Engineer roles", [212])])
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


# Every number-looking token in a seed is a figure, unless the source lists it under
# not_figures in data/sources.yaml with the reason. Calendar years (1900-2100) are dates, not
# figures, unless data/ records them (a projection horizon); percentile names are labels.
SEED_TOKEN = re.compile(r"(?<![\w.])\$?(\d[\d,]*(?:\.\d+)?)\s*([kKM](?![A-Za-z]))?")


def not_figures(source: dict) -> set[float]:
    return {float(entry["number"]) for entry in source.get("not_figures", [])}


def seed_numbers(text: str) -> list[float]:
    """Every number a seed states, with K and M expanded and thousands separators removed."""
    scale = {"": 1, "k": 1_000, "K": 1_000, "M": 1_000_000}
    return [float(digits.rstrip(",").replace(",", "")) * scale[suffix]
            for digits, suffix in SEED_TOKEN.findall(text)]


def data_numbers(data, source: str) -> set[float]:
    """Every number data/ records for a source: figures, claims and level years."""
    found = set()
    for item in [*data.figures, *data.claims]:
        if item.source == source:
            found |= {n for n in (item.value, item.low, item.high) if n is not None}
    for entry in data.level_maps.get(source, {}).values():
        found |= {float(n) for n in re.findall(r"\d+", entry.get("years", ""))}
    return found


def test_seed_numbers_parse():
    assert seed_numbers("$93K–$148K, 23,752 and $1.2M; 2.0%+ and 212 ML roles") == [
        93000, 148000, 23752, 1200000, 2.0, 212]


def test_every_number_in_every_seed_is_in_data(data, seed_texts):
    problems, counted = [], {}
    for source, text in seed_texts.items():
        recorded, skipped = data_numbers(data, source), not_figures(data.sources[source])
        numbers = seed_numbers(text)
        figures = [n for n in numbers if n not in skipped
                   and not (1900 <= n <= 2100 and n not in recorded)]
        missing = sorted({n for n in figures if n not in recorded})
        if missing:
            problems.append(f"{source}: {', '.join(f'{n:g}' for n in missing)} in its text "
                            f"but not in data/ (record each, or list it under not_figures in "
                            f"data/sources.yaml with the reason)")
        # A number both skipped and recorded means the skip list has gone stale.
        stale = sorted(n for n in skipped if n in recorded)
        if stale:
            problems.append(f"{source}: {', '.join(f'{n:g}' for n in stale)} listed under "
                            f"not_figures but recorded in data/")
        counted[source] = (len(numbers), len(figures), len(set(figures)))
    print("\nseed numbers per source (tokens, figures, distinct figures):", counted)
    assert not problems, "\n".join(problems)
    # A tokenizer broken so that it finds no number cannot pass (the check above would then
    # hold for any text).
    unseen = [source for source, (_, _, distinct) in counted.items()
              if distinct == 0 and data_numbers(data, source)]
    assert not unseen, f"no number found in the saved text of {unseen}, which data/ quotes"
