"""Ties: the sentences of commentary that restate a figure, a computed result or a verdict,
each tied in the page's front matter to where the build keeps that value, and checked.

    ties:
      - says: "distributed systems by about 14%"
        chart: specialisation_pay          # a chart's table…
        column: Midpoint vs general SWE    # …one of its columns…
        values: ["+14%"]                   # …must hold each value the sentence states
      - says: "“Python and PyTorch dominate the requirements” is contradicted"
        claim: jobboard-09-python-pytorch-dominate
        verdict: contradicted              # the audit's verdict on that claim

When the data moves, the build stops at the sentence's own line and says what the table or
the audit holds now. Every other number in the text must be one that data/ records (a figure
as its source states it), a placeholder the build fills ({{ sources }}), or sit inside a tied
sentence: a computed result ("+14%") written anywhere else is a located mistake.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path
from typing import Mapping, Sequence

from .errors import Problem, display_path

# A number as commentary writes it: "$130,000", "~$182,500", "+14%", "21%", "$100K", "1.02".
NUMBER = re.compile(r"(?<![\w.$~+−-])[$~+−-]*\d(?:[\d,]*\d)?(?:\.\d+)?(?:%|[KM]\b)?")
ABOUT = re.compile(r"about [+−-]?(\d+)%")
# Left out of the number check: placeholders, link targets, and raw HTML tags (which the
# sanitiser drops, and whose attributes no reader sees).
PLACEHOLDER_OR_LINK = re.compile(r"\{\{.*?\}\}|\]\([^)]*\)|<[^>]*>")


@dataclasses.dataclass(frozen=True)
class Tie:
    """One sentence of a page tied to a chart table's column, or to a claim's verdict."""

    says: str
    line: int  # where the tie stands in the front matter
    column_at: int
    chart: str | None = None
    column: str | None = None
    values: tuple[str, ...] = ()
    claim: str | None = None
    verdict: str | None = None
    against: str | None = None  # the verdict on the claim read on this other source's figures
    rule: str | None = None  # a rule of the audit the sentence states (RULES in the pipeline)


def normalise(text: str) -> str:
    """Text with every run of white space (a line break in the Markdown) as one space."""
    return " ".join(text.split())


# What the build holds for ties to check against: each chart's table (its columns and rows),
# each verdict by (claim id, the other source it was read on, or None), and the audit's rules.
Tables = Mapping[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]
Verdicts = Mapping[tuple[str, str | None], str]


def tie_problems(path: str, body: str, body_line: int, ties: Sequence[Tie], tables: Tables,
                 verdicts: Verdicts, rules: Mapping[str, str]) -> list[Problem]:
    """Every tie of one page checked: its sentence is in the text, its values in its column
    (or its verdict the audit's); each problem at the sentence's line, or the tie's."""
    problems = []
    for tie in ties:
        found = says_pattern(tie.says).search(body)
        if found is None:
            problems.append(Problem(path, tie.line, tie.column_at,
                                    f"tie: the text no longer says {tie.says!r}; reword the "
                                    "tie's says: to match, or remove the tie"))
            continue
        problems += [Problem(path, *position(body, body_line, found.start()), message)
                     for message in tie_messages(tie, tables, verdicts, rules)]
    return problems


def tie_messages(tie: Tie, tables: Tables, verdicts: Verdicts,
                 rules: Mapping[str, str]) -> list[str]:
    """What is wrong with one tie whose sentence the text still holds."""
    if tie.rule is not None:
        if tie.rule not in rules:
            return [f"tie: no rule {tie.rule!r} (known: {', '.join(sorted(rules))})"]
        return [] if rules[tie.rule] in tie.says else [
            f"{short(tie.says)!r} states the rule {tie.rule}, which is now {rules[tie.rule]}"]
    if tie.claim is not None:
        key = tie.claim + (f" against {tie.against}" if tie.against else "")
        found = verdicts.get((tie.claim, tie.against))
        if found is None:
            return [f"tie: no claim {key!r} in data/claims.yaml"]
        if found != tie.verdict:
            return [f"{short(tie.says)!r} gives the verdict {tie.verdict!r}, but the audit now "
                    f"finds {key} {found!r}: bring the sentence in line"]
        return []
    if tie.chart not in tables:
        return [f"tie: no chart {tie.chart!r} (known: {', '.join(sorted(tables))})"]
    columns, rows = tables[tie.chart]
    if tie.column not in columns:
        return [f"tie: chart {tie.chart} has no column {tie.column!r} (its columns: "
                f"{', '.join(columns)})"]
    cells = {row[columns.index(tie.column)] for row in rows}
    # A cell's parts too: "+7% to +9% [+6.4% to +9.2%]; 1 pair ..." holds "+7% to +9%".
    cells |= {part for cell in cells for part in re.split(r" \[|; ", cell)}
    def nearest(value: str) -> str:  # the values held that read most like the one stated
        return "; ".join(difflib.get_close_matches(value, sorted(cells), n=6, cutoff=0))
    messages = [f"{short(tie.says)!r} states {value}, which chart {tie.chart}'s column "
                f"{tie.column!r} no longer holds (the nearest it holds: {nearest(value)})"
                for value in tie.values if value not in cells]
    messages += [f"{short(tie.says)!r} says about {about}%, which rounds none of its values "
                 f"({', '.join(tie.values)})"
                 for about in ABOUT.findall(tie.says) if not rounds_to(int(about), tie.values)]
    return messages


def rounds_to(whole: int, values: Sequence[str]) -> bool:
    """Whether any of the values ('+14.3%', '−8%') rounds to this whole percent."""
    return any(round(abs(float(value.strip("+−-%").replace(",", "")))) == whole
               for value in values if re.fullmatch(r"[+−-]?[\d,.]+%", value))


def short(text: str) -> str:
    """A sentence cut to fit a one-line message."""
    text = normalise(text)
    return text if len(text) <= 60 else text[:57] + "…"


def says_pattern(says: str) -> re.Pattern:
    """A tie's words as they may stand in the Markdown: any white space between them."""
    return re.compile(r"\s+".join(map(re.escape, says.split())))


def loose_numbers(path: str, body: str, body_line: int, ties: Sequence[Tie],
                  recorded: set[float]) -> list[Problem]:
    """Numbers of the text that nothing checks: not in a tied sentence, a placeholder or a
    link target, and not a value data/ records (a signed one is a computed result)."""
    blank = PLACEHOLDER_OR_LINK.sub(lambda m: " " * len(m.group()), body)
    for tie in ties:
        blank = says_pattern(tie.says).sub(lambda m: re.sub(r"\S", " ", m.group()), blank)
    problems = []
    for match in NUMBER.finditer(blank):
        token = match.group()
        if token.startswith(("+", "−", "-")) or as_number(token) not in recorded:
            line, column = position(body, body_line, match.start())
            problems.append(Problem(path, line, column, f"{token} is not a figure data/ "
                                    "records: a computed result needs a tie to the chart or "
                                    "claim that holds it (ties: in the front matter)"))
    return problems


def as_number(token: str) -> float:
    """'$100K' -> 100000.0, '$1.2M' -> 1200000.0, '~$182,500' -> 182500.0, '21%' -> 21.0."""
    digits = token.strip("$~+−-%").removesuffix("K").removesuffix("M").replace(",", "")
    return float(digits) * {"K": 1000, "M": 1_000_000}.get(token[-1], 1)


def position(body: str, body_line: int, offset: int) -> tuple[int, int]:
    """(line, column) in the file of an offset into the body."""
    before = body[:offset]
    return body_line + before.count("\n"), offset - (before.rfind("\n") + 1) + 1


def pages_problems(pages: Sequence, tables: Tables, verdicts: Verdicts,
                   rules: Mapping[str, str], recorded: set[float]) -> list[Problem]:
    """Every page's ties checked, and every number outside them that data/ does not record."""
    problems = []
    for page in pages:
        path = display_path(page.src_path)
        problems += tie_problems(path, page.body_text, page.body_line, page.ties, tables,
                                 verdicts, rules)
        problems += loose_numbers(path, page.body_text, page.body_line, page.ties, recorded)
    return problems


def recorded_numbers(data_dir: Path) -> set[float]:
    """Every number written in data/*.yaml: figures as stated, claims, level years, counts."""
    return {as_number(token) for path in sorted(data_dir.glob("*.yaml"))
            for token in NUMBER.findall(path.read_text(encoding="utf-8"))}
