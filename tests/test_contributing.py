"""CONTRIBUTING's worked example, run: every block it shows is applied, in order, to a copy
of the project, and after each step the site builds and shows what that step added."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_build
from paysite import load, pipeline
from paysite.pages import NUMBER_WORDS
from test_sources import data_numbers, not_figures, seed_numbers, source_text

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
WORKED = GUIDE[GUIDE.index("## A worked example"):GUIDE.index("\n## ", GUIDE.index(
    "## A worked example") + 1)]
STEPS = re.findall(r"^### (\d+)\. (.+)$", WORKED, re.M)
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def guide_id(step: int) -> str:
    """The id the worked example gives what a step adds (`- id: example`, `- {id: denver`)."""
    blocks = steps_up_to(step)[len(steps_up_to(step - 1)):]
    return next(found.group(1) for _, block in blocks
                if (found := re.search(r"- \{?id: ([a-z0-9_-]+)", block)))


def unused(name: str, taken) -> str:
    """The name, or, when the project already has it (an editor who followed the guide to
    the letter), the first free one after it."""
    return next(candidate for candidate in [name] + [f"{name}-{n}" for n in range(2, 99)]
                if candidate not in taken)


def renamed(text: str) -> str:
    """A block of the guide with its source and city ids, and its page's file name, changed
    to ones the project does not have yet."""
    for old, new in IDS.items():
        text = re.sub(rf"(?<![A-Za-z]){old}(?![a-z])", new, text)
    return text


def steps_up_to(number: int) -> list[tuple[str, str]]:
    """(the text before a block, the block) for every block of steps 1..number."""
    upto = WORKED[:WORKED.index(f"### {number + 1}.")] if f"### {number + 1}." in WORKED \
        else WORKED
    found, start = [], 0
    for match in BLOCK.finditer(upto):
        found.append((upto[start:match.start()], match.group(2)))
        start = match.end()
    return found


def apply(root: Path, before: str, block: str, file: str | None) -> str | None:
    """Do what the guide says to do with one block; return the file last named."""
    paragraph = renamed(" ".join(before.strip().split("\n\n")[-1].split()))
    block = renamed(block)
    named = re.findall(r"In `([^`]+)`", paragraph)
    file = named[-1] if named else file
    if target := re.search(r"(?:Save it as|Create) `([^`]+)`", paragraph):
        path = root / target.group(1)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block, encoding="utf-8")
    elif target := re.search(r"Add to `([^`]+)`, at the end of `\w+:`", paragraph):
        with open(root / target.group(1), "a", encoding="utf-8") as out:
            out.write(block)
    elif role := re.search(r"under the `names:` of `(\w+)`", paragraph):
        path = root / file
        text = path.read_text(encoding="utf-8")
        names = text.index("    names:\n", text.index(f"  - id: {role.group(1)}\n"))
        at = names + len("    names:\n")
        path.write_text(text[:at] + block + text[at:], encoding="utf-8")
    else:
        pytest.fail(f"CONTRIBUTING shows a block with no instruction the test knows:\n"
                    f"{paragraph}")
    return file


_REAL = load.load_data(ROOT / "data")
SOURCE = unused(guide_id(2), _REAL.sources)
CITY = unused(guide_id(3), {*_REAL.cities, *(p.stem for p in (ROOT / "content").glob("*.md"))})
IDS = {guide_id(2): SOURCE, guide_id(3): CITY}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's inputs, where the walk-through's steps are applied."""
    for folder in ("data", "content", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def build_after(project: Path, step: int) -> Path:
    file = None
    for before, block in steps_up_to(step):
        file = apply(project, before, block, file)
    paths = pipeline.Paths(project / "data", project / "content", project / "templates",
                           project / "site")
    result = run_build(paths)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_the_walk_through_has_its_steps_and_blocks():
    assert [title for _, title in STEPS] == [
        "Save the source's text", "Add the source", "Add its city", "Add its figures",
        "Add its claim", "Add a page", "Look, check, commit"]
    assert len(steps_up_to(7)) == 8


def test_step_2_the_source_is_listed(project):
    site = build_after(project, 2)
    assert "Example Pay Survey" in (site / "sources.html").read_text(encoding="utf-8")


def test_step_3_the_city_is_known(project):
    build_after(project, 3)
    assert CITY in load.load_data(project / "data").cities


def test_step_4_the_figures_are_drawn_and_quoted_from_the_source(project):
    site = build_after(project, 4)
    table = (site / "downloads/location/pay_by_city.csv").read_text(encoding="utf-8")
    assert 'Example survey (Denver),Denver,ML engineer,Total compensation,median,"$182,000"' \
        in table
    data = load.load_data(project / "data")
    seed = source_text(project / "data", SOURCE)
    figures = [f for f in data.figures if f.source == SOURCE]
    assert len(figures) == 2 and all(" ".join(f.as_stated.split()) in seed for f in figures)
    skipped = not_figures(data.sources[SOURCE])
    unrecorded = {n for n in seed_numbers(seed) if n not in skipped and n != 2026}
    assert unrecorded - data_numbers(data, SOURCE) == {21}  # the claim's, at step 5


def test_step_5_the_claim_is_recomputed_and_judged(project):
    site = build_after(project, 5)
    claims = json.loads((site / "downloads/claims.json").read_text(encoding="utf-8"))
    claim = next(c for c in claims if c["id"] == f"{SOURCE}-{CITY}")
    assert (claim["recomputed_low"], claim["verdict"]) == (21.33, "consistent")
    data = load.load_data(project / "data")
    seed = source_text(project / "data", SOURCE)
    assert {n for n in seed_numbers(seed) if n != 2026} - not_figures(
        data.sources[SOURCE]) <= data_numbers(data, SOURCE)


def test_step_6_the_page_is_published_with_its_charts(project):
    site = build_after(project, 6)
    html = (site / f"{CITY}.html").read_text(encoding="utf-8")
    count = NUMBER_WORDS[len(load.load_data(project / "data").sources)]  # the new one too
    assert f'<meta name="description" content="Pay in Denver, from one of {count} sources.">' \
        in html
    assert 'data-chart="pay_by_city"' in html and 'data-chart="premium_by_city"' in html
    assert f'href="{CITY}.html"' in (site / "index.html").read_text(encoding="utf-8")
