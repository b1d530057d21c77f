"""Schemas: the shape of every data file and of page front matter, as JSON Schema.

The build validates with these, word for word the schemas `build.py schemas` writes to
schemas/ for editors' autocompletion; each mistake becomes one located problem.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

import jsonschema

from .errors import Problem, did_you_mean
from .serialise import spec_json
from .vocabulary import (CLAIM_QUALIFIERS, FORMULAS, GENERAL_KINDS, GROUP_KINDS, POINTS, PREMIUMS,
                         QUALIFIERS, STATS, UNITS)
from .yamlfile import Located


SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"}


TEXT = {"type": "string", "minLength": 1}


# A chart's name, as the chart kinds' names are: each gives its page a different HTML id.
CHART_NAME = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}


NUMBER = {"type": "number"}


def mapping(required: Iterable[str], **properties: dict) -> dict:
    """Declare a mapping with exactly these keys."""
    return {"type": "object", "additionalProperties": False,
            "required": sorted(required), "properties": properties}


def listing(item: dict, key: str) -> dict:
    """Declare a file holding one top-level list under `key`."""
    return mapping([key], **{key: {"type": "array", "items": item}})


def qualifiers(words: dict) -> dict:
    """A list of qualifiers, each once."""
    return {"type": "array", "uniqueItems": True, "items": {"enum": sorted(words)}}


FIGURE_FIELDS = dict(value=NUMBER, low=NUMBER, high=NUMBER, qualifiers=qualifiers(QUALIFIERS),
                     as_stated=TEXT, note=TEXT)


GROUPS = {"oneOf": [TEXT, {"type": "array", "minItems": 1, "items": TEXT}]}


SELECTOR = mapping([], role=SLUG, group=GROUPS, scope=TEXT, point={"enum": sorted(POINTS)})


TEXTS = {"type": "array", "minItems": 1, "items": TEXT}


# One side of a check on a claim in words: it may read another data file, measure or
# statistic than the check's own (specialist bands against the ML bands, a median against an
# average).
WORD_SIDE = mapping([], role=SLUG, group=GROUPS, scope=TEXT, point={"enum": sorted(POINTS)},
                    dimension=SLUG, measure=SLUG, stat={"enum": sorted(STATS)})


# One reading of a claim in words (paysite/worded_verdicts.py applies it).
WORD_CHECK = mapping(
    ["kind", "reading", "dimension", "measure", "stat"],
    kind={"enum": ["order", "overlap", "rank", "share", "size", "trend", "width"]},
    reading=TEXT, dimension=SLUG, measure=SLUG, stat={"enum": sorted(STATS)},
    a=WORD_SIDE, b=WORD_SIDE, roles={"type": "array", "minItems": 1, "items": SLUG},
    groups=TEXTS, named=TEXTS, within={"type": "integer", "minimum": 1},
    shape={"enum": ["falls", "narrowest", "rises", "widest"]},
    at_least=NUMBER, at_most=NUMBER, low=NUMBER, high=NUMBER, size=TEXT)


# The site's one table of size words: what premium band each word is read as, and why.
SIZE_WORD = mapping(["word", "above", "why"], word=TEXT, low=NUMBER, high=NUMBER, why=TEXT,
                    above={"enum": ["overstated", "understated"]})


OBSERVATION = mapping(
    ["source", "role", "group", "measure", "stat", "as_stated"],
    source=SLUG, role=SLUG, group=TEXT, scope=TEXT, measure=SLUG,
    stat={"enum": sorted(STATS)}, **FIGURE_FIELDS)


SCHEMAS: dict[str, dict] = {
    "site": mapping(
        ["title", "updated"], title=TEXT,
        licence=mapping(["name", "url"], name=TEXT, url=TEXT),
        updated={"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
    "sources": listing(mapping(
        ["id", "short", "title", "publisher", "date", "population", "method"],
        id=SLUG, short=TEXT, title=TEXT, publisher=TEXT, employer=TEXT,
        date={"type": "string", "pattern": r"^(\d{4}(-\d{2}(-\d{2})?)?|undated)$"},
        period=TEXT, kind=TEXT, quality=TEXT, sample=TEXT,
        references={"type": "array", "items": mapping(["title"], title=TEXT, url=TEXT)},
        population=TEXT, method=TEXT, url=TEXT, saved_from=TEXT,
        saved_on={"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        not_figures={"type": "array", "items": mapping(["number", "reason"], number=NUMBER,
                                                       reason=TEXT)}), "sources"),
    "roles": listing(mapping(
        ["id", "name", "names"], id=SLUG, name=TEXT, note=TEXT, compares_as=SLUG,
        names={"type": "object", "additionalProperties": TEXT}), "roles"),
    "levels": mapping(
        ["ladder", "mappings"],
        ladder={"type": "array", "minItems": 1, "items": mapping(
            ["id", "name"], id=SLUG, name=TEXT, years=TEXT)},
        mappings={"type": "object", "additionalProperties": {
            "type": "array", "items": mapping(["label", "level"], label=TEXT, level=SLUG,
                                              years=TEXT, note=TEXT)}}),
    "cities": listing(mapping(
        ["id", "name"], id=SLUG, name=TEXT,
        names={"type": "object", "additionalProperties": TEXT}), "cities"),
    "measures": listing(mapping(
        ["id", "name", "unit"], id=SLUG, name=TEXT, short=TEXT,
        unit={"enum": sorted(UNITS)}), "measures"),
    "claims": mapping(["claims"], claims={"type": "array", "items": mapping(
        ["id", "source", "dimension", "measure", "stat", "as_stated"],
        id=SLUG, source=SLUG, dimension=SLUG, group=GROUPS, scope=TEXT, measure=SLUG,
        stat={"enum": sorted(STATS)}, formula={"enum": sorted(FORMULAS)},
        premium={"enum": sorted(PREMIUMS)}, a=SELECTOR, b=SELECTOR,
        headline={"type": "boolean"}, untestable=TEXT, caveat=TEXT,
        **dict(FIGURE_FIELDS, qualifiers=qualifiers(CLAIM_QUALIFIERS)))},
        size_words={"type": "array", "items": SIZE_WORD},
        words={"type": "array", "items": mapping(
            ["id", "source", "line", "as_stated"], id=SLUG, source=SLUG,
            line={"type": "integer", "minimum": 1}, as_stated=TEXT, untestable=TEXT,
            checks={"type": "array", "minItems": 1, "items": WORD_CHECK})}),
    "dimension": mapping(
        ["dimension", "groups", "observations"],
        dimension=SLUG, groups={"enum": list(GROUP_KINDS)},
        observations={"type": "array", "items": OBSERVATION}),
}


REGISTRY_FILES = ("site", "sources", "roles", "levels", "cities", "measures", "claims")


def schema_problems(doc: Located, schema: dict) -> list[Problem]:
    """Check a document against a schema; one located problem per mistake."""
    validator = jsonschema.Draft202012Validator(schema)
    return [schema_problem(doc, error) for error in validator.iter_errors(doc.value)]


def schema_problem(doc: Located, error: jsonschema.ValidationError) -> Problem:
    """Word one schema error for an editor and point at its line."""
    keys = tuple(error.absolute_path)
    field = f"{keys[-1]}: " if keys and isinstance(keys[-1], str) else ""
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return doc.key_problem(keys + (unknown[0],), f"unknown field {unknown[0]!r}{hint}")
    if error.validator == "required":
        return doc.problem(keys, f"missing required field {error.message.split(chr(39))[1]!r}")
    if error.validator == "type":
        wanted = {"number": "a number", "string": "text", "array": "a list",
                  "object": "a mapping (key: value)", "boolean": "true or false"}
        expected = error.validator_value  # a type's name, or a list of them
        names = [expected] if isinstance(expected, str) else expected
        hint = number_hint(error.instance) if names == ["number"] else ""
        return doc.problem(keys, f"{field}expected "
                                 f"{' or '.join(wanted.get(name, name) for name in names)}, "
                                 f"got {describe(error.instance)}{hint}")
    if error.validator == "enum":
        return doc.problem(keys, f"{field}{error.instance!r} is not one of: "
                                 f"{', '.join(map(str, error.validator_value))}"
                                 f"{did_you_mean(error.instance, error.validator_value)}")
    if error.validator == "uniqueItems":  # located at the second of the two
        index = next(i for i, item in enumerate(error.instance) if item in error.instance[:i])
        return doc.problem(keys + (index,), f"{field}item {index + 1} repeats an item above it; "
                                            f"list each once")
    if error.validator == "pattern":
        return doc.problem(keys, f"{field}{error.instance!r} does not have the expected form "
                                 f"(pattern {error.validator_value})")
    return doc.problem(keys, f"{field}{error.message}")


# Money as a source prints it: "$180K", "130K", "130,000", "~$182,500", "$296,000+".
MONEY = re.compile(r"\s*~?\$?\s*(\d[\d,]*(?:\.\d+)?)\s*([kKmM]?)\s*\+?\s*")
PERCENT = re.compile(r"\s*~?(-?\d+(?:\.\d+)?)\s*%\s*\+?\s*")


def number_hint(value: Any) -> str:
    """For money or a percentage written as text, the number to write instead."""
    if not isinstance(value, str):
        return ""
    if money := MONEY.fullmatch(value):
        scale = {"": 1, "k": 1_000, "m": 1_000_000}[money.group(2).lower()]
        number = float(money.group(1).replace(",", "")) * scale
        written = f"{number:.0f}" if number == int(number) else f"{number}"
        return f"; write {written} (digits only: the unit comes from the measure)"
    if percent := PERCENT.fullmatch(value):
        return (f"; write {percent.group(1)} (digits only: the unit, percent, comes from the "
                f"measure)")
    return ""


def describe(value: Any) -> str:
    """Name a value's YAML kind for an error message."""
    if value is None:
        return "nothing (the value or the file is empty)"
    kinds = {bool: "a yes/no value", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping"}
    return f"{kinds.get(type(value), type(value).__name__)} {value!r}"[:80]


TEMPLATES = ("page", "home", "claims", "sources", "error")


FRONT_MATTER = mapping(
    ["title", "summary", "order"],
    title=TEXT, summary=TEXT, order={"type": "integer"}, slug=SLUG, dimension=SLUG,
    nav_title=TEXT,
    # A chart kind's name, or a chart declared from a general kind (paysite/charts/general.py).
    # (The keywords of a mapping apply to mappings only: a name is simply text.)
    charts={"type": "array", "uniqueItems": True, "items": {
        **mapping(["name", "kind", "dimension", "title"], name=CHART_NAME,
                  kind={"enum": list(GENERAL_KINDS)}, dimension=SLUG, title=TEXT,
                  measure=SLUG, statistic={"enum": sorted(STATS)}),
        "type": ["string", "object"]}},
    template={"enum": list(TEMPLATES)}, nav={"type": "boolean"},
    aliases={"type": "array", "items": SLUG, "uniqueItems": True},
    # A sentence of the text tied to a chart table's column (chart, column, values) or to a
    # claim's verdict (claim, verdict): paysite/ties.py checks it.
    ties={"type": "array", "items": mapping(
        ["says"], says=TEXT, chart=TEXT, column=TEXT, claim=TEXT, verdict=TEXT, against=TEXT,
        rule=TEXT,
        values={"type": "array", "minItems": 1, "items": TEXT})})


def schema_documents() -> dict[str, dict]:
    """The JSON Schema of each kind of data file and of front matter, as editors read them."""
    kinds = {**SCHEMAS, "front-matter": FRONT_MATTER}
    def title(name: str) -> str:
        return f"{name} ({'page front matter' if name == 'front-matter' else 'data file'})"
    return {name: {"$schema": "https://json-schema.org/draft/2020-12/schema",
                   "title": title(name), **schema} for name, schema in sorted(kinds.items())}


def write_schemas(folder: Path) -> None:
    """Write schemas/<kind>.schema.json from the schemas the build validates with."""
    folder.mkdir(exist_ok=True)
    for name, schema in schema_documents().items():
        (folder / f"{name}.schema.json").write_text(spec_json(schema), encoding="utf-8")
