#!/usr/bin/env python3
"""Build the ML-engineer-vs-software-engineer pay site.

YAML figures in data/ and Markdown commentary in content/ become a static HTML site in
site/, one page per comparison dimension, each chart shown as a build-time SVG, as an
interactive Vega view and as a table. Run `python build.py --help` for the options.

The pipeline, in the order the data flows (see `build`):
load data -> validate -> load pages -> compute charts -> render HTML -> write site/.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import contextlib
import csv
import dataclasses
import functools
import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Iterable

import jinja2
import jsonschema
import markdown
from markupsafe import Markup, escape
import nh3
import vl_convert
import yaml

if TYPE_CHECKING:
    import altair as alt
else:
    alt = None  # imported by load_altair() when charts are made: a build with nothing to do
                # skips Altair's start-up (a quarter of a second)

ROOT = Path(__file__).resolve().parent
SITE_TITLE = "ML engineer vs software engineer pay"

EXIT_OK, EXIT_INPUT_ERROR = 0, 1  # argparse itself exits with 2 on a bad command line
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it (128 + SIGINT)


# --------------------------------------------------------------------------- errors

@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One input mistake, located in a file."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class BuildError(Exception):
    """Every input mistake of one stage, reported together."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """Name a file relative to the working folder when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- YAML with locations

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")}
MAP_TAG, SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


class LocatingLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases and reads dates as plain strings."""

    def compose_node(self, parent, index):
        # Aliases are refused outright: data files never need them, and refusing them
        # makes an alias bomb ("billion laughs") fail at once instead of expanding.
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in data files", event.start_mark)
        return super().compose_node(parent, index)


LocatingLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclasses.dataclass(frozen=True)
class Located:
    """A parsed YAML document and the line/column of every value in it."""

    path: Path
    value: Any
    marks: dict[tuple, tuple[int, int]]
    key_marks: dict[tuple, tuple[int, int]] = dataclasses.field(default_factory=dict)

    def key_problem(self, keys: tuple, message: str) -> Problem:
        """Make a problem located at the key (not the value) at `keys`."""
        line, column = self.key_marks.get(keys) or self.where(keys)
        return Problem(display_path(self.path), line, column, message)

    def where(self, keys: tuple) -> tuple[int, int]:
        """Return (line, column), 1-based, of the value at `keys` or its nearest parent."""
        while keys not in self.marks and keys:
            keys = keys[:-1]
        return self.marks.get(keys, (1, 1))

    def problem(self, keys: tuple, message: str) -> Problem:
        """Make a problem located at the value under `keys`."""
        line, column = self.where(keys)
        return Problem(display_path(self.path), line, column, message)


class FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser, about 15 times faster, with LocatingLoader's resolvers.

    It expands aliases silently, so parse_yaml refuses any node it meets twice, and leaves
    every problem to LocatingLoader, whose messages say exactly where and what.
    """


FastLoader.yaml_implicit_resolvers = LocatingLoader.yaml_implicit_resolvers


class AliasFound(Exception):
    """A node met twice while walking a document libyaml composed: an alias."""


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Located:
    """Parse one YAML document, keeping where each value stands."""
    refuse_special_characters(text, path, first_line)
    if yaml.__with_libyaml__:
        try:
            return compose(FastLoader, text, path, first_line, seen=set())
        except (yaml.YAMLError, AliasFound, RecursionError):
            pass  # parsed again below, by the loader that locates and words every problem
    try:
        return compose(LocatingLoader, text, path, first_line)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or str(error)
        if error.context and error.problem:
            message = f"{error.problem} ({error.context})"
        raise BuildError([Problem(display_path(path), mark.line + first_line,
                                  mark.column + 1, f"YAML: {message}")]) from error
    except RecursionError as error:
        raise BuildError([Problem(display_path(path), first_line, 1,
                                  "YAML: nested too deeply")]) from error


def compose(loader_class, text: str, path: Path, first_line: int,
            seen: set | None = None) -> Located:
    """Compose a document with one loader and turn it into located values.

    `seen` collects the nodes walked, to refuse an alias that libyaml expanded silently.
    """
    loader = loader_class(text)
    marks: dict[tuple, tuple[int, int]] = {}
    key_marks: dict[tuple, tuple[int, int]] = {}
    try:
        node = loader.get_single_node()
        value = None if node is None else node_value(loader, node, (), marks, key_marks,
                                                     first_line, seen)
    finally:
        loader.dispose()
    return Located(path, value, marks, key_marks)


def refuse_special_characters(text: str, path: Path, first_line: int) -> None:
    """Locate a control character YAML does not allow (PyYAML reports only an offset)."""
    match = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if match:
        before = text[:match.start()]
        line, column = before.count("\n") + first_line, match.start() - before.rfind("\n")
        raise BuildError([Problem(display_path(path), line, column,
                                  f"YAML: special character U+{ord(match.group()):04X} is not "
                                  "allowed")])


def node_value(loader, node, keys: tuple, marks: dict, key_marks: dict, first_line: int,
               seen: set | None = None) -> Any:
    """Turn a composed node into plain values, refusing duplicate keys and odd tags."""
    if seen is not None:
        if id(node) in seen:
            raise AliasFound()
        seen.add(id(node))
    marks[keys] = (node.start_mark.line + first_line, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        refuse_tag(node, MAP_TAG)
        mapping: dict[str, Any] = {}
        for key_node, item_node in node.value:
            key = scalar_key(loader, key_node)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            key_marks[keys + (key,)] = (key_node.start_mark.line + first_line,
                                        key_node.start_mark.column + 1)
            mapping[key] = node_value(loader, item_node, keys + (key,), marks, key_marks,
                                      first_line, seen)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        refuse_tag(node, SEQ_TAG)
        return [node_value(loader, item, keys + (i,), marks, key_marks, first_line, seen)
                for i, item in enumerate(node.value)]
    refuse_tag(node, *SCALAR_TAGS)
    return loader.construct_object(node)


def refuse_tag(node, *allowed: str) -> None:
    """Refuse tags other than the plain ones (no !!python/object, !!set, ...)."""
    if node.tag not in allowed:
        raise yaml.constructor.ConstructorError(
            None, None, f"the tag {node.tag!r} is not allowed", node.start_mark)


def scalar_key(loader, key_node) -> str:
    """Return a mapping key, which must be a plain string."""
    if not isinstance(key_node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(
            None, None, "mapping keys must be plain text", key_node.start_mark)
    key = loader.construct_object(key_node)
    if not isinstance(key, str):
        raise yaml.constructor.ConstructorError(
            None, None, f"mapping key {key!r} must be text", key_node.start_mark)
    return key


def read_text(path: Path) -> str:
    """Read a UTF-8 file, naming the line and column of the first bad byte."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[:error.start]
        line, column = before.count(b"\n") + 1, error.start - (before.rfind(b"\n") + 1) + 1
        raise BuildError([Problem(display_path(path), line, column,
                                  f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); "
                                  "save the file as UTF-8")]) from error


def load_yaml_file(path: Path) -> Located:
    """Read and parse one YAML file."""
    return parse_yaml(read_text(path), path)


# --------------------------------------------------------------------------- schema

SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"}
TEXT = {"type": "string", "minLength": 1}
NUMBER = {"type": "number"}
QUALIFIERS = {
    "approximate": "the source writes ~ or 'about'",
    "open_ended": "the upper figure is 'or more' (written with a trailing +)",
    "at_least": "the source says the figure is exceeded",
}
STATS = {
    "median": "median", "mean": "mean", "p25": "25th percentile", "p75": "75th percentile",
    "range": "typical range", "p25_p75": "25th to 75th percentile",
    "avg_range": "average salary range", "top": "top of market", "share": "share",
    "count": "count", "rank": "rank", "estimate": "stated estimate",
}
RANGE_STATS = {"range", "p25_p75", "avg_range"}
# What `group` names in a dimension file: a source's level label (levels.yaml), a city id
# (cities.yaml), a free label such as a skill, specialisation or employer type, or "all".
GROUP_KINDS = ("level", "city", "label", "none")
# Each unit with the largest value that is still plausible; beyond it is a typing mistake.
UNITS = {"usd_per_year": 10_000_000, "percent": 100, "percent_change": 1000,
         "count": 10_000_000, "rank": 1000, "days": 3660, "months": 600, "years": 60,
         "year": 2100}


# How a claim is recomputed from two figures a and b (see `Comparison`).
FORMULAS = {
    "premium": "how much more a is than b, in percent: (a / b - 1) x 100",
    "dip": "how much less a is than b, in percent: (1 - a / b) x 100",
    "share": "a as a percent of b: a / b x 100",
    "difference": "a minus b, in the figures' unit",
}
# The usual claim, "ML engineers earn N% more", is a premium of one role over the other.
PREMIUMS = {"ml_over_swe": ("mle", "swe"), "swe_over_ml": ("swe", "mle")}
# Which part of a range a claim reads: its midpoint unless the claim says otherwise.
POINTS = {"center": "midpoint", "low": "bottom", "high": "top"}


def mapping(required: Iterable[str], **properties: dict) -> dict:
    """Declare a mapping with exactly these keys."""
    return {"type": "object", "additionalProperties": False,
            "required": sorted(required), "properties": properties}


def listing(item: dict, key: str) -> dict:
    """Declare a file holding one top-level list under `key`."""
    return mapping([key], **{key: {"type": "array", "items": item}})


FIGURE_FIELDS = dict(value=NUMBER, low=NUMBER, high=NUMBER,
                     qualifiers={"type": "array", "uniqueItems": True,
                                 "items": {"enum": sorted(QUALIFIERS)}},
                     as_stated=TEXT, note=TEXT)

GROUPS = {"oneOf": [TEXT, {"type": "array", "minItems": 1, "items": TEXT}]}
SELECTOR = mapping([], role=SLUG, group=GROUPS, scope=TEXT, point={"enum": sorted(POINTS)})

OBSERVATION = mapping(
    ["source", "role", "group", "measure", "stat", "as_stated"],
    source=SLUG, role=SLUG, group=TEXT, scope=TEXT, measure=SLUG,
    stat={"enum": sorted(STATS)}, **FIGURE_FIELDS)

SCHEMAS: dict[str, dict] = {
    "sources": listing(mapping(
        ["id", "short", "title", "publisher", "date", "population", "method"],
        id=SLUG, short=TEXT, title=TEXT, publisher=TEXT, employer=TEXT,
        date={"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        population=TEXT, method=TEXT, seed=TEXT, url=TEXT), "sources"),
    "roles": listing(mapping(
        ["id", "name", "names"], id=SLUG, name=TEXT, note=TEXT,
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
    "claims": listing(mapping(
        ["id", "source", "dimension", "measure", "stat", "as_stated"],
        id=SLUG, source=SLUG, dimension=SLUG, group=GROUPS, scope=TEXT, measure=SLUG,
        stat={"enum": sorted(STATS)}, formula={"enum": sorted(FORMULAS)},
        premium={"enum": sorted(PREMIUMS)}, a=SELECTOR, b=SELECTOR,
        headline={"type": "boolean"}, **FIGURE_FIELDS), "claims"),
    "dimension": mapping(
        ["dimension", "groups", "observations"],
        dimension=SLUG, groups={"enum": list(GROUP_KINDS)},
        observations={"type": "array", "items": OBSERVATION}),
}
REGISTRY_FILES = ("sources", "roles", "levels", "cities", "measures", "claims")


VALIDATORS: dict[int, jsonschema.Draft202012Validator] = {}  # one per schema, made once


def schema_problems(doc: Located, schema: dict) -> list[Problem]:
    """Check a document against a schema; one located problem per mistake."""
    validator = VALIDATORS.setdefault(id(schema), jsonschema.Draft202012Validator(schema))
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
        expected = error.validator_value
        return doc.problem(keys, f"{field}expected {wanted.get(expected, expected)}, "
                                 f"got {describe(error.instance)}")
    if error.validator == "enum":
        return doc.problem(keys, f"{field}{error.instance!r} is not one of: "
                                 f"{', '.join(map(str, error.validator_value))}")
    if error.validator == "pattern":
        return doc.problem(keys, f"{field}{error.instance!r} does not have the expected form "
                                 f"(pattern {error.validator_value})")
    return doc.problem(keys, f"{field}{error.message}")


def describe(value: Any) -> str:
    """Name a value's YAML kind for an error message."""
    if value is None:
        return "nothing (the value or the file is empty)"
    kinds = {bool: "a yes/no value", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping"}
    return f"{kinds.get(type(value), type(value).__name__)} {value!r}"[:80]


# --------------------------------------------------------------------------- the data model

@dataclasses.dataclass(frozen=True)
class Figure:
    """One observation as a source states it, placed on the common ladder."""

    source: str
    role: str
    dimension: str
    group: str
    level: str | None
    measure: str
    unit: str
    stat: str
    value: float | None
    low: float | None
    high: float | None
    qualifiers: tuple[str, ...]
    scope: str | None
    as_stated: str

    @property
    def center(self) -> float:
        """The figure's single value, or the midpoint of its range."""
        return self.value if self.value is not None else (self.low + self.high) / 2


@dataclasses.dataclass(frozen=True)
class Selector:
    """Which of a source's figures one side (a or b) of a claim is about."""

    role: str | None
    groups: tuple[str, ...] | None  # None: any group
    scope: str | None
    point: str

    def matches(self, fig: Figure) -> bool:
        """Whether a figure belongs on this side of the claim."""
        return ((self.role is None or fig.role == self.role)
                and (self.groups is None or fig.group in self.groups)
                and fig.scope == self.scope)


@dataclasses.dataclass(frozen=True)
class Claim:
    """A claim as a source states it, and which of its figures it should follow from."""

    id: str
    source: str
    dimension: str
    measure: str
    stat: str
    formula: str
    a: Selector
    b: Selector
    paired_on: tuple[str, ...]  # fields a pair of figures must share ("group", "role")
    unit: str
    value: float | None
    low: float | None
    high: float | None
    qualifiers: tuple[str, ...]
    headline: bool
    as_stated: str

    @property
    def stated(self) -> tuple[float, float]:
        """The stated number as (low, high); a single value gives low == high."""
        if self.value is not None:
            return self.value, self.value
        return self.low, self.high

    @property
    def premium(self) -> str | None:
        """For a premium of one role over the other, its direction; else None."""
        for name, roles in PREMIUMS.items():
            if self.formula == "premium" and (self.a.role, self.b.role) == roles:
                return name
        return None

    @property
    def groups(self) -> tuple[str, ...] | None:
        """The groups the claim is about, when both sides share them."""
        return self.a.groups if self.a.groups == self.b.groups else None


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Everything in data/, validated and cross-referenced."""

    sources: dict[str, dict]
    roles: dict[str, dict]
    ladder: dict[str, dict]
    level_maps: dict[str, dict[str, dict]]
    cities: dict[str, dict]
    measures: dict[str, dict]
    group_kinds: dict[str, str]
    figures: tuple[Figure, ...]
    claims: tuple[Claim, ...]


def load_data(data_dir: Path) -> Dataset:
    """Read, schema-check and cross-check every file in data/."""
    docs = read_data_files(data_dir)
    registry, problems = read_registries(docs)
    group_kinds = {name: doc.value["groups"] for name, doc in docs.items()
                   if name not in REGISTRY_FILES}
    figures = []
    for name in sorted(group_kinds):
        found, more = read_figures(docs[name], name, registry)
        figures.extend(found)
        problems.extend(more)
    # Only check that claims can be recomputed when every figure loaded: otherwise one bad
    # figure would also be reported as a missing figure for each claim that uses it.
    claims, more = read_claims(docs["claims"], registry, group_kinds,
                               figures if not problems else None)
    problems.extend(more)
    if problems:
        raise BuildError(problems)
    return Dataset(**registry, group_kinds=group_kinds, figures=tuple(figures),
                   claims=tuple(claims))


def read_data_files(data_dir: Path) -> dict[str, Located]:
    """Parse every YAML file in data/ and check each against its schema."""
    if not data_dir.is_dir():
        raise BuildError([Problem(display_path(data_dir), 1, 1, "data folder not found")])
    docs, problems = {}, []
    for name in REGISTRY_FILES:
        if not (data_dir / f"{name}.yaml").is_file():
            problems.append(Problem(display_path(data_dir / f"{name}.yaml"), 1, 1,
                                    "required data file is missing"))
    for path in sorted(data_dir.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix != ".yaml":
            problems.append(Problem(display_path(path), 1, 1,
                                    "unexpected file in data/ (data files end in .yaml)"))
            continue
        try:
            doc = load_yaml_file(path)
        except BuildError as error:
            problems.extend(error.problems)
            continue
        found = schema_problems(doc, SCHEMAS.get(path.stem, SCHEMAS["dimension"]))
        problems.extend(found)
        docs[path.stem] = doc
    if problems:
        raise BuildError(problems)
    return docs


def index_by_id(doc: Located, key: str, problems: list) -> dict[str, dict]:
    """Map each entry's id to the entry, reporting repeated ids."""
    entries: dict[str, dict] = {}
    for i, entry in enumerate(doc.value[key]):
        if entry["id"] in entries:
            problems.append(doc.problem((key, i, "id"), f"duplicate id {entry['id']!r}"))
        entries.setdefault(entry["id"], entry)
    return entries


def read_registries(docs: dict[str, Located]) -> tuple[dict, list[Problem]]:
    """Read sources, roles, levels, cities and measures, checking their references."""
    problems: list[Problem] = []
    sources = index_by_id(docs["sources"], "sources", problems)
    roles = index_by_id(docs["roles"], "roles", problems)
    cities = index_by_id(docs["cities"], "cities", problems)
    measures = index_by_id(docs["measures"], "measures", problems)
    levels = docs["levels"]
    ladder = index_by_id(levels, "ladder", problems)
    for name in ("roles", "cities"):
        for i, entry in enumerate(docs[name].value[name]):
            for source in sorted(set(entry.get("names", {})) - set(sources)):
                problems.append(docs[name].problem((name, i, "names", source),
                                                   f"unknown source {source!r}"))
    level_maps: dict[str, dict[str, dict]] = {}
    for source, labels in levels.value["mappings"].items():
        if source not in sources:
            problems.append(levels.problem(("mappings", source), f"unknown source {source!r}"))
        by_label = level_maps.setdefault(source, {})
        for i, entry in enumerate(labels):
            where = ("mappings", source, i)
            if entry["level"] not in ladder:
                problems.append(levels.problem(where + ("level",), unknown(
                    "level", entry["level"], ladder)))
            if entry["label"] in by_label:
                problems.append(levels.problem(where + ("label",),
                                               f"duplicate label {entry['label']!r}"))
            by_label.setdefault(entry["label"], entry)
    registry = dict(sources=sources, roles=roles, ladder=ladder, level_maps=level_maps,
                    cities=cities, measures=measures)
    return registry, problems


def unknown(kind: str, value: str, known: Iterable[str]) -> str:
    """Word an unknown-id message with the ids that would be accepted."""
    return f"unknown {kind} {value!r} (known: {', '.join(sorted(known))})"


def read_figures(doc: Located, name: str, registry: dict) -> tuple[list[Figure], list]:
    """Turn one dimension file's observations into figures, checking each."""
    problems: list[Problem] = []
    if doc.value["dimension"] != name:
        problems.append(doc.problem(("dimension",), f"dimension {doc.value['dimension']!r} "
                                                    f"must match the file name {name!r}"))
    kind, figures, seen = doc.value["groups"], [], {}
    for i, record in enumerate(doc.value["observations"]):
        where = ("observations", i)
        found = reference_problems(doc, where, record, registry)
        level, more = group_level(doc, where, record, kind, registry)
        found += more
        # An unknown measure is reported above; check its numbers as plain counts.
        unit = registry["measures"].get(record["measure"], {}).get("unit", "count")
        found += figure_problems(doc, where, record, unit)
        key = tuple(record.get(k) for k in ("source", "role", "group", "measure", "stat",
                                            "scope"))
        if key in seen:
            found.append(doc.problem(where, "duplicate record: same source, role, group, "
                                            f"measure, stat and scope as line {seen[key]}"))
        seen.setdefault(key, doc.where(where)[0])
        problems += found
        if not found:
            figures.append(make_figure(record, name, level, unit))
    return figures, problems


def reference_problems(doc: Located, where: tuple, record: dict, registry: dict) -> list:
    """Check that a record's source, role and measure ids exist."""
    problems = []
    for field, known in (("source", "sources"), ("role", "roles"), ("measure", "measures")):
        if field in record and record[field] not in registry[known]:
            problems.append(doc.problem(where + (field,),
                                        unknown(field, record[field], registry[known])))
    return problems


def group_level(doc: Located, where: tuple, record: dict, kind: str,
                registry: dict) -> tuple[str | None, list]:
    """Resolve a record's group for its file's kind; return its ladder level if any."""
    group, here = record["group"], where + ("group",)
    if kind == "level" and record["source"] not in registry["sources"]:
        return None, []  # the unknown source is reported already
    if kind == "level":
        labels = registry["level_maps"].get(record["source"], {})
        if group not in labels:
            return None, [doc.problem(here, f"unknown level label {group!r} for source "
                                            f"{record['source']!r} (levels.yaml maps: "
                                            f"{', '.join(sorted(labels)) or 'none'})")]
        return labels[group]["level"], []
    if kind == "city" and group not in registry["cities"]:
        return None, [doc.problem(here, unknown("city", group, registry["cities"]))]
    if kind == "none" and group != "all":
        return None, [doc.problem(here, "group must be 'all' in a file with groups: none")]
    return None, []


def figure_problems(doc: Located, where: tuple, record: dict, unit: str) -> list[Problem]:
    """Check an observation's figure; a range statistic needs a range."""
    if (record.get("stat") in RANGE_STATS and "value" in record
            and "low" not in record and "high" not in record):
        return [doc.problem(where + ("value",),
                            f"stat {record['stat']!r} is a range: give low and high")]
    return number_problems(doc, where, record, unit)


def number_problems(doc: Located, where: tuple, record: dict, unit: str) -> list[Problem]:
    """Check a value or a low-high range: present, ordered, non-negative, plausible."""
    has_value, has_low, has_high = ("value" in record, "low" in record, "high" in record)
    if has_value and (has_low or has_high):
        return [doc.problem(where, "give either value or low and high, not both")]
    if has_low != has_high:
        missing = "high" if has_low else "low"
        return [doc.problem(where, f"a range needs both low and high; {missing} is missing")]
    if not (has_value or has_low):
        return [doc.problem(where, "missing the figure: give value, or low and high")]
    problems = [bound_problem(doc, where + (key,), record[key], unit)
                for key in ("value", "low", "high") if key in record]
    problems = [p for p in problems if p]
    if has_low and not problems and record["low"] > record["high"]:
        problems.append(doc.problem(where + ("low",), f"low ({plain(record['low'])}) is above "
                                                      f"high ({plain(record['high'])})"))
    return problems


def plain(number: float) -> str:
    """Write a number as an editor typed it: 150,000 or 0.25."""
    return f"{int(number):,}" if number == int(number) else f"{number:,}"


def bound_problem(doc: Located, keys: tuple, number: float, unit: str) -> Problem | None:
    """Refuse a negative figure or one beyond what its unit can plausibly hold."""
    if number < 0:
        return doc.problem(keys, f"{keys[-1]}: {plain(number)} is negative")
    if number > UNITS[unit]:
        return doc.problem(keys, f"{keys[-1]}: {plain(number)} is implausibly large for "
                                 f"{unit} (at most {plain(UNITS[unit])})")
    if unit in ("count", "rank", "year") and number != int(number):
        return doc.problem(keys, f"{keys[-1]}: a {unit} must be a whole number")
    return None


def make_figure(record: dict, dimension: str, level: str | None, unit: str) -> Figure:
    """Build a figure from a checked record."""
    return Figure(source=record["source"], role=record["role"], dimension=dimension,
                  group=record["group"], level=level, measure=record["measure"], unit=unit,
                  stat=record["stat"], value=record.get("value"), low=record.get("low"),
                  high=record.get("high"), qualifiers=tuple(record.get("qualifiers", ())),
                  scope=record.get("scope"), as_stated=record["as_stated"])


def read_claims(doc: Located, registry: dict, group_kinds: dict[str, str],
                figures: list[Figure] | None) -> tuple[list[Claim], list[Problem]]:
    """Check each claim's references and that its figures exist to recompute it."""
    claims, problems, seen = [], [], set()
    for i, record in enumerate(doc.value["claims"]):
        where = ("claims", i)
        found = reference_problems(doc, where, record, registry)
        found += formula_problems(doc, where, record, registry)
        unit = claim_unit(record, registry)
        found += number_problems(doc, where, record, unit)
        if record["id"] in seen:
            found.append(doc.problem(where + ("id",), f"duplicate id {record['id']!r}"))
        seen.add(record["id"])
        if record["dimension"] not in group_kinds:
            found.append(doc.problem(where + ("dimension",),
                                     unknown("dimension", record["dimension"], group_kinds)))
        if not found:
            claim = make_claim(record, unit)
            if figures is not None and not claim_pairs(claim, figures):
                found.append(doc.problem(where, "no figures to recompute this claim from: "
                                                "need a figure for each side (a, b) with this "
                                                "source, dimension, measure, stat and group"))
            claims.append(claim)
        problems += found
    return claims, problems


def formula_problems(doc: Located, where: tuple, record: dict, registry: dict) -> list:
    """A premium claim names its direction; any other formula names its two sides."""
    formula = record.get("formula", "premium")
    if formula == "premium" and "a" not in record and "premium" not in record:
        return [doc.problem(where, "a premium claim needs premium: ml_over_swe or "
                                   "swe_over_ml (or its two sides a and b)")]
    if "premium" in record and ("a" in record or "b" in record):
        return [doc.problem(where + ("premium",), "give either premium or a and b, not both")]
    if "premium" not in record and not ("a" in record and "b" in record):
        return [doc.problem(where, f"a {formula} claim needs both sides: a and b")]
    return [doc.problem(where + (side, "role"), unknown("role", record[side]["role"],
                                                        registry["roles"]))
            for side in ("a", "b") if side in record and "role" in record[side]
            and record[side]["role"] not in registry["roles"]]


def claim_unit(record: dict, registry: dict) -> str:
    """A difference is in the figures' unit; every other formula gives a percent."""
    if record.get("formula") == "difference":
        return registry["measures"].get(record["measure"], {}).get("unit", "count")
    return "percent_change"


def as_groups(value: str | list | None) -> tuple[str, ...] | None:
    """A claim's group, one or several, as a tuple (None: any group)."""
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)


def make_selector(side: dict, claim: dict, role: str | None) -> Selector:
    """One side of a claim: the claim's own group and scope unless the side sets them."""
    return Selector(role=side.get("role", role),
                    groups=as_groups(side.get("group", claim.get("group"))),
                    scope=side.get("scope", claim.get("scope")),
                    point=side.get("point", "center"))


def make_claim(record: dict, unit: str) -> Claim:
    """Build a claim from a checked record."""
    a_role, b_role = PREMIUMS.get(record.get("premium"), (None, None))
    a_side, b_side = record.get("a", {}), record.get("b", {})
    # Figures pair up on every field neither side fixes: a premium of ML over SWE compares
    # the two roles within one group; a remote "dip" compares two groups within one role.
    fixed = {field for side in (a_side, b_side) for field in side}
    fixed |= {"role"} if a_role else set()
    return Claim(id=record["id"], source=record["source"], dimension=record["dimension"],
                 measure=record["measure"], stat=record["stat"],
                 formula=record.get("formula", "premium"),
                 a=make_selector(a_side, record, a_role), b=make_selector(b_side, record, b_role),
                 paired_on=tuple(f for f in ("group", "role") if f not in fixed), unit=unit,
                 value=record.get("value"), low=record.get("low"), high=record.get("high"),
                 qualifiers=tuple(record.get("qualifiers", ())),
                 headline=record.get("headline", False), as_stated=record["as_stated"])


# --------------------------------------------------------------------------- derived figures

TOLERANCE_PP = 2.0  # a recomputed percent within 2 percentage points of the stated one agrees
# How far a recomputed number may sit outside the stated one and still agree, by claim unit.
TOLERANCES = {"percent_change": TOLERANCE_PP, "usd_per_year": 5000.0, "count": 0.0}
STAT_PREFERENCE = ("median", "mean", "range", "p25_p75", "avg_range")


@dataclasses.dataclass(frozen=True)
class Premium:
    """How much more one role gets than the other, from one source's own pair of figures."""

    ml: Figure
    swe: Figure
    percent: float  # ML over SWE

    @property
    def source(self) -> str:
        """The source both figures come from."""
        return self.ml.source

    @property
    def group(self) -> str:
        """The group (level label, city) both figures belong to."""
        return self.ml.group

    @property
    def level(self) -> str | None:
        """The group's place on the common ladder, if it is a level."""
        return self.ml.level

    @property
    def formula(self) -> str:
        """Say how the premium was computed."""
        return how_compared("ratio", self.ml, self.swe, ("center", "center"))


@dataclasses.dataclass(frozen=True)
class Comparison:
    """One claim's formula applied to one pair of its source's figures."""

    a: Figure
    b: Figure
    formula: str
    points: tuple[str, str]
    value: float

    @property
    def how(self) -> str:
        """Say which numbers were compared, and how."""
        verb = "difference" if self.formula == "difference" else "ratio"
        return how_compared(verb, self.a, self.b, self.points)


@dataclasses.dataclass(frozen=True)
class CrossCheck:
    """What another source's figures give for the same claim."""

    source: str
    low: float
    high: float
    basis: str


@dataclasses.dataclass(frozen=True)
class Recomputed:
    """A claim next to what its source's own figures give, and what other sources give."""

    claim: Claim
    comparisons: tuple[Comparison, ...]
    low: float
    high: float
    verdict: str
    readings: tuple[tuple[str, float, float], ...]  # the same formula on range ends
    others: tuple[CrossCheck, ...]

    @property
    def premiums(self) -> tuple[Premium, ...]:
        """For a premium of one role over the other, each pair as ML over SWE."""
        if not self.claim.premium:
            return ()
        pairs = ((c.a, c.b) if self.claim.premium == "ml_over_swe" else (c.b, c.a)
                 for c in self.comparisons)
        return tuple(make_premium(ml, swe) for ml, swe in pairs)


def make_premium(ml: Figure, swe: Figure) -> Premium:
    """The premium of one ML figure over its SWE counterpart."""
    return Premium(ml, swe, ml_premium(ml, swe))


def ml_premium(ml: Figure, swe: Figure) -> float:
    """Percent by which the ML figure exceeds the SWE figure (centers of ranges)."""
    return apply_formula("premium", ml.center, swe.center)


def pair_figures(figures: Iterable[Figure]) -> list[tuple[Figure, Figure]]:
    """Pair ML and SWE figures that share source, group, measure, stat and scope."""
    by_key: dict[tuple, dict[str, Figure]] = {}
    for fig in figures:
        key = (fig.source, fig.dimension, fig.group, fig.measure, fig.stat, fig.scope)
        by_key.setdefault(key, {})[fig.role] = fig
    return [(roles["mle"], roles["swe"])
            for key, roles in sorted(by_key.items(), key=lambda item: str(item[0]))
            if "mle" in roles and "swe" in roles]


def premiums(figures: Iterable[Figure], dimension: str,
             unit: str = "usd_per_year") -> list[Premium]:
    """One ML premium per source and group: medians where given, else range midpoints."""
    best: dict[tuple[str, str], tuple[Figure, Figure]] = {}
    for ml, swe in pair_figures(f for f in figures if f.dimension == dimension):
        if ml.unit != unit or ml.stat not in STAT_PREFERENCE:
            continue
        key = (ml.source, ml.group)
        if key not in best or rank_stat(ml) < rank_stat(best[key][0]):
            best[key] = (ml, swe)
    return [make_premium(*best[key]) for key in sorted(best)]


def rank_stat(fig: Figure) -> int:
    """Order statistics by how well they stand for a typical salary."""
    return STAT_PREFERENCE.index(fig.stat)


def claim_pairs(claim: Claim, figures: Iterable[Figure]) -> list[tuple[Figure, Figure]]:
    """Find the pairs of figures (a, b) a claim is about, in data order."""
    pool = [f for f in figures if (f.source, f.dimension, f.measure, f.stat)
            == (claim.source, claim.dimension, claim.measure, claim.stat)]
    return [(a, b) for a in pool if claim.a.matches(a) for b in pool if claim.b.matches(b)
            and a is not b and all(getattr(a, f) == getattr(b, f) for f in claim.paired_on)]


def point_value(fig: Figure, point: str) -> float:
    """The number a claim reads off a figure: its value, or a range's midpoint or end."""
    if fig.value is not None:
        return fig.value
    return {"center": fig.center, "low": fig.low, "high": fig.high}[point]


def how_compared(verb: str, a: Figure, b: Figure, points: tuple[str, str]) -> str:
    """Say which numbers of two figures were compared: "ratio of the two medians"."""
    (point_a, stat_a), (point_b, stat_b) = (point_words(a, points[0]),
                                            point_words(b, points[1]))
    if (point_a, stat_a) == (point_b, stat_b):
        if point_a is None:
            return f"{verb} of the two {stat_a}s"
        return f"{verb} of the {POINTS[point_a]}s of the two {stat_a}s"
    first, second = ((stat if point is None else f"{POINTS[point]} of the {stat}")
                     for point, stat in ((point_a, stat_a), (point_b, stat_b)))
    return f"{verb} of the {first} to the {second}"


def point_words(fig: Figure, point: str) -> tuple[str | None, str]:
    """Which point of a figure is read (None for a single value), and what the figure is."""
    if fig.value is not None:
        return None, STATS[fig.stat]
    return point, STATS[fig.stat] if fig.stat in RANGE_STATS else f"{STATS[fig.stat]} range"


def apply_formula(formula: str, a: float, b: float) -> float:
    """Compute one formula of FORMULAS."""
    return {"premium": (a / b - 1) * 100, "dip": (1 - a / b) * 100, "share": a / b * 100,
            "difference": a - b}[formula]


def compare(claim: Claim, a: Figure, b: Figure, points: tuple[str, str]) -> Comparison:
    """Apply a claim's formula to one pair of figures, reading the given points."""
    value = apply_formula(claim.formula, point_value(a, points[0]), point_value(b, points[1]))
    return Comparison(a, b, claim.formula, points, value)


def recompute_claims(data: Dataset) -> tuple[Recomputed, ...]:
    """Recompute every claim from its source's own figures and other sources', and judge it."""
    by_dimension = {name: premiums(data.figures, name) for name in data.group_kinds}
    results = []
    for claim in data.claims:
        pairs = claim_pairs(claim, data.figures)
        found = tuple(compare(claim, a, b, (claim.a.point, claim.b.point)) for a, b in pairs)
        low, high = spread(c.value for c in found)
        readings = tuple((f"{POINTS[end]}s of the ranges",
                          *spread(compare(claim, a, b, (end, end)).value for a, b in pairs))
                         for end in ("low", "high")
                         if any(f.value is None for pair in pairs for f in pair))
        results.append(Recomputed(claim, found, low, high, judge(claim, low, high), readings,
                                  cross_checks(claim, data, by_dimension[claim.dimension])))
    return tuple(results)


def spread(values: Iterable[float]) -> tuple[float, float]:
    """The lowest and highest of some numbers."""
    values = list(values)
    return min(values), max(values)


def judge(claim: Claim, low: float, high: float) -> str:
    """Consistent when every recomputed number lies in the stated range, give or take."""
    tolerance = TOLERANCES.get(claim.unit, 0.0)
    stated_low, stated_high = claim.stated
    top = float("inf") if "open_ended" in claim.qualifiers else stated_high + tolerance
    return "consistent" if stated_low - tolerance <= low and high <= top else "not consistent"


def cross_checks(claim: Claim, data: Dataset,
                 found_premiums: list[Premium]) -> tuple[CrossCheck, ...]:
    """The same premium from every other source's figures, at the same levels or places."""
    if not claim.premium:
        return ()
    kind = data.group_kinds[claim.dimension]
    groups = claim.groups
    levels = ({data.level_maps[claim.source][g]["level"] for g in groups} if groups
              else set(data.ladder)) if kind == "level" else None
    found: dict[str, list[Premium]] = {}
    for premium in found_premiums:
        if premium.source == claim.source:
            continue
        if levels is not None and premium.level not in levels:
            continue
        if levels is None and groups is not None and premium.group not in groups:
            continue
        found.setdefault(premium.source, []).append(premium)
    checks = []
    for source in (s for s in data.sources if s in found):
        values = [p.percent if claim.premium == "ml_over_swe" else swe_premium(p)
                  for p in found[source]]
        first = found[source][0]
        basis = f"{data.measures[first.ml.measure]['name'].lower()}, {first.formula}"
        checks.append(CrossCheck(source, *spread(values), basis))
    return tuple(checks)


def swe_premium(premium: Premium) -> float:
    """Percent by which the SWE figure exceeds the ML figure."""
    return apply_formula("premium", premium.swe.center, premium.ml.center)


# --------------------------------------------------------------------------- formatting

def format_number(number: float, unit: str) -> str:
    """Write one number in its unit for a table cell."""
    if unit == "usd_per_year":
        return f"${number:,.0f}"
    if unit in ("percent", "percent_change"):
        return f"{number:g}%"
    if unit == "rank":
        return f"#{number:g}"
    if unit == "year":
        return f"{number:.0f}"
    if unit in ("days", "months", "years"):
        return f"{number:g} {unit if number != 1 else unit[:-1]}"
    return f"{number:,.0f}"


def format_figure(fig: Figure | Claim, unit: str) -> str:
    """Write a figure or stated claim with its qualifiers (~, +, over)."""
    prefix = "~" if "approximate" in fig.qualifiers else ""
    prefix = "over " if "at_least" in fig.qualifiers else prefix
    suffix = "+" if "open_ended" in fig.qualifiers else ""
    if fig.value is not None:
        return f"{prefix}{format_number(fig.value, unit)}{suffix}"
    return (f"{prefix}{format_number(fig.low, unit)} – "
            f"{format_number(fig.high, unit)}{suffix}")


def format_percent(low: float, high: float) -> str:
    """Write a recomputed premium or premium range, one decimal."""
    if round(low, 1) == round(high, 1):
        return f"{low:+.1f}%"
    return f"{low:+.1f}% to {high:+.1f}%"


# --------------------------------------------------------------------------- charts

VEGA_LITE_VERSION = "6.4"
RECOMPUTED, STATED = "Recomputed from its figures", "Stated by the source"
ROLE_COLORS = {"ML engineer": "#0072B2", "Software engineer": "#C0392B"}
ANY_ROLE_COLORS = {**ROLE_COLORS, "Either role": "#6B7280"}  # figures about neither role
KIND_COLORS = {STATED: "#8C96A3", RECOMPUTED: "#1F2937"}
CHART_WIDTH = 220
CHART_FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


def load_altair() -> None:
    """Import Altair and register this site's chart theme, once."""
    global alt
    if alt is None:
        import altair
        alt = altair
        alt.theme.register("paysite", enable=True)(paysite_theme)


def paysite_theme() -> dict:
    """Set fonts, sizes and axis style once for every chart."""
    return {"config": {
        # Liberation Sans has Arial's and Helvetica's metrics: labels measured at build time
        # fit when a reader's browser draws them in any of the three.
        "font": CHART_FONT,
        # The chart is one image to assistive technology (its figure carries the text
        # alternative, its table the numbers); per-mark ARIA roles without labels fail axe.
        "aria": False, "mark": {"aria": False},
        # Transparent, so the page's light or dark background shows through.
        "background": "transparent",
        "view": {"stroke": None, "continuousWidth": CHART_WIDTH},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1f2937",
                 "titleColor": "#1f2937", "gridColor": "#e5e7eb", "domainColor": "#6b7280",
                 "tickColor": "#6b7280", "labelLimit": 130},
        "header": {"labelFontSize": 13, "labelFontWeight": "bold", "labelColor": "#111827",
                   "labelAngle": 0, "labelAlign": "left", "labelAnchor": "start",
                   "labelOrient": "top", "title": None, "labelLimit": 330},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "top",
                   "direction": "vertical",
                   "labelColor": "#1f2937", "titleColor": "#1f2937", "labelLimit": 300},
        "title": {"fontSize": 14, "color": "#111827", "anchor": "start"},
    }}


@dataclasses.dataclass(frozen=True)
class Table:
    """The numbers behind a chart, as rows of text."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclasses.dataclass(frozen=True)
class Chart:
    """One chart: its Vega-Lite spec, its build-time SVG, its table and its words."""

    name: str
    title: str
    description: str
    spec: dict
    vega_spec: dict
    svg: str
    table: Table


ChartMaker = Callable[[Dataset, tuple[Recomputed, ...]], tuple["alt.TopLevelMixin", Table, str]]
CHART_MAKERS: dict[str, tuple[str, ChartMaker]] = {}


def chart_kind(name: str, title: str):
    """Register a chart function under the name front matter uses."""
    def register(function: ChartMaker) -> ChartMaker:
        CHART_MAKERS[name] = (title, function)
        return function
    return register


def source_names(data: Dataset, ids: Iterable[str]) -> str:
    """List sources by short name, in the order sources.yaml gives them."""
    wanted = set(ids)
    return ", ".join(s["short"] for key, s in data.sources.items() if key in wanted)


def figure_row(data: Dataset, fig: Figure) -> dict:
    """Flatten a figure into a chart data row."""
    return {
        "source": data.sources[fig.source]["short"], "role": data.roles[fig.role]["name"],
        "label": fig.group if fig.level else group_label(data, fig.group),
        "place": group_label(data, fig.group),
        "level": data.ladder[fig.level]["name"] if fig.level else None,
        "measure": data.measures[fig.measure]["name"], "stat": STATS[fig.stat],
        "value": fig.value, "low": fig.low, "high": fig.high,
        "stated": fig.as_stated, "figure": format_figure(fig, fig.unit),
        "panel": f"{data.sources[fig.source]['short']}: {data.measures[fig.measure]['name']}",
    }


def fixed_color(field: str, colors: dict[str, str], **options) -> alt.Color:
    """Colour marks by a field, each value always in the same colour."""
    return alt.Color(field, type="nominal", title=None, **options,
                     scale=alt.Scale(domain=list(colors), range=list(colors.values())))


def role_color() -> alt.Color:
    """Colour marks by role, with the same two colours everywhere."""
    return fixed_color("role", ROLE_COLORS)


def figure_tooltip() -> list:
    """Tooltip fields shared by figure charts."""
    return [alt.Tooltip("source", type="nominal", title="Source"),
            alt.Tooltip("role", type="nominal", title="Role"),
            alt.Tooltip("label", type="nominal", title="Source's label"),
            alt.Tooltip("stat", type="nominal", title="Statistic"),
            alt.Tooltip("figure", type="nominal", title="Figure")]


def range_and_points(rows: list[dict], y: alt.Y, x_title: str, x_format: str,
                     legend: bool = True) -> alt.LayerChart:
    """Draw ranges as thick rules and single figures as points, by role."""
    color = role_color() if legend else fixed_color("role", ROLE_COLORS, legend=None)
    base = alt.Chart().encode(y=y, yOffset=alt.YOffset("role", type="nominal"),
                              color=color, tooltip=figure_tooltip())
    x_axis = alt.Axis(format=x_format, tickCount=4, title=x_title)
    ranges = base.mark_rule(strokeWidth=6, strokeCap="round").encode(
        x=alt.X("low", type="quantitative", axis=x_axis), x2="high"
    )
    points = base.mark_point(filled=True, size=80, stroke="#111827", strokeWidth=1).encode(
        x=alt.X("value", type="quantitative", axis=x_axis),
        shape=alt.Shape("stat", type="nominal", title=None))
    # A layer with no numbers to draw would give Vega an infinite extent; leave it out.
    layers = [layer for layer, field in ((ranges, "low"), (points, "value"))
              if any(row[field] is not None for row in rows)]
    return alt.layer(*layers, data=alt.Data(values=rows)).properties(width=CHART_WIDTH)


def by_panel(chart, rows: list[dict], field: str, kind: str = "nominal",
             independent: tuple[str, ...] = ("y",)) -> "alt.FacetChart":
    """One panel per value of `field`, in the order the rows first give them."""
    order = list(dict.fromkeys(row[field] for row in rows))
    return chart.facet(row=alt.Row(field, type=kind, sort=order, title=None)).resolve_scale(
        **{channel: "independent" for channel in independent})


def figure_table(data: Dataset, figures: list[Figure], caption: str,
                 group_title: str) -> Table:
    """Tabulate figures: source, group, role, measure, statistic, figure."""
    rows = tuple((data.sources[f.source]["short"], group_name(data, f),
                  data.roles[f.role]["name"], data.measures[f.measure]["name"],
                  STATS[f.stat] + (f" ({f.scope})" if f.scope else ""),
                  format_figure(f, f.unit), f.as_stated) for f in figures)
    columns = ("Source", group_title, "Role", "Measure", "Statistic", "Figure", "As stated")
    return Table(caption, columns, rows)


def group_name(data: Dataset, fig: Figure) -> str:
    """Name a figure's group: ladder level with the source's label, or a place."""
    if fig.level:
        return f"{data.ladder[fig.level]['name']} ({fig.group})"
    return group_label(data, fig.group)


def group_label(data: Dataset, group: str) -> str:
    """Show a group as readers know it: a place's name, a source's own level label."""
    if group == "all":
        return "whole sample"
    return data.cities.get(group, {}).get("name", group)


def ladder_names(data: Dataset) -> list[str]:
    """The common ladder's level names, bottom to top."""
    return [level["name"] for level in data.ladder.values()]


def place_names(data: Dataset) -> list[str]:
    """City names in the order cities.yaml gives them."""
    return [city["name"] for city in data.cities.values()]


def ordered(data: Dataset, figures: Iterable[Figure]) -> list[Figure]:
    """Sort figures by source order, ladder or place order, then role."""
    sources, ladder, cities = list(data.sources), list(data.ladder), list(data.cities)
    def key(f: Figure):
        place = ladder.index(f.level) if f.level else (
            cities.index(f.group) if f.group in data.cities else 0)
        return (sources.index(f.source), place, f.group, f.role, f.measure, f.stat,
                f.scope or "")
    return sorted(figures, key=key)


def select(data: Dataset, dimension: str, units: Iterable[str] = ("usd_per_year",),
           measures: Iterable[str] | None = None) -> list[Figure]:
    """Pick one dimension's figures in the given units or measures, in display order."""
    units, measures = set(units), set(measures or ())
    return ordered(data, (f for f in data.figures if f.dimension == dimension
                          and (f.measure in measures if measures else f.unit in units)))


@chart_kind("pay_by_level", "ML and SWE pay by level, each source on the common ladder")
def pay_by_level(data: Dataset, audit) -> tuple:
    """Per source, the pay range or median of each role at each common level."""
    figures = [f for f in select(data, "experience") if f.role in ("mle", "swe")]
    rows = [figure_row(data, f) for f in figures]
    y = alt.Y("level", type="ordinal", sort=ladder_names(data), title=None)
    chart = by_panel(range_and_points(rows, y, "USD per year", "$~s"), rows, "panel")
    caption = (f"Pay by experience level as each source states it. Sources: "
               f"{source_names(data, (f.source for f in figures))}.")
    description = ("Ranges and medians of ML-engineer and software-engineer pay per level "
                   "for each source; the table below lists every figure.")
    return chart, figure_table(data, figures, caption, "Level (source's label)"), description


def recomputed_row(data: Dataset, premium: Premium, group_field: str, group: str) -> dict:
    """A chart row for one premium recomputed from a source's own pair of figures."""
    return {"source": data.sources[premium.source]["short"], group_field: group,
            "kind": RECOMPUTED, "value": round(premium.percent, 1), "low": None,
            "high": None, "slot": 0, "detail": premium.formula,
            "stated": f"{group_label(data, premium.group)}: ML "
                      f"{format_figure(premium.ml, premium.ml.unit)} vs "
                      f"SWE {format_figure(premium.swe, premium.swe.unit)}"}


def stated_row(data: Dataset, claim: Claim, group_field: str, group: str, slot: int) -> dict:
    """A chart row for a stated premium, as ML over SWE; a single value gets a visible width."""
    low, high = stated_as_ml_premium(claim)
    pad = 0.5 if low == high else 0
    return {"source": data.sources[claim.source]["short"], group_field: group,
            "kind": STATED, "value": None, "low": round(low - pad, 1),
            "high": round(high + pad, 1), "slot": slot, "detail": f"claim {claim.id}",
            "stated": claim.as_stated}


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


def premium_group(data: Dataset, premium: Premium) -> str:
    """Name the group a premium belongs to."""
    if premium.level:
        return data.ladder[premium.level]["name"]
    return group_label(data, premium.group)


def premium_chart(rows: list[dict], y: alt.Y, facet: bool) -> alt.TopLevelMixin:
    """Stated premium bands behind recomputed premium points."""
    color = fixed_color("kind", KIND_COLORS)
    tooltip = [alt.Tooltip("source", type="nominal", title="Source"),
               alt.Tooltip("kind", type="nominal", title="Kind"),
               alt.Tooltip("stated", type="nominal", title="Figures"),
               alt.Tooltip("detail", type="nominal", title="How")]
    axis = alt.Axis(title="ML premium over SWE (%)", tickCount=5)
    base = alt.Chart().encode(y=y, yOffset=alt.YOffset("slot", type="ordinal"), color=color,
                              tooltip=tooltip)
    bands = base.mark_bar(height=7, cornerRadius=2).encode(
        x=alt.X("low", type="quantitative", axis=axis), x2="high"
    )
    points = base.mark_point(filled=True, size=70, shape="diamond", opacity=1).encode(
        x=alt.X("value", type="quantitative", axis=axis))
    zero = alt.Chart().mark_rule(color="#6b7280").encode(x=alt.datum(0))
    chart = alt.layer(zero, bands, points, data=alt.Data(values=rows)).properties(
        width=CHART_WIDTH)
    if not facet:
        return chart
    return by_panel(chart, rows, "source")


def premium_table(data: Dataset, found: list[Premium], audit, dimension: str,
                  caption: str, group_title: str) -> Table:
    """Tabulate recomputed premiums next to what each source states for the same group."""
    stated: dict[tuple[str, str], list[str]] = {}
    for result in audit:
        if result.claim.dimension == dimension:
            for p in result.premiums:
                text = f"{signed_claim(result.claim)} ({result.verdict})"
                stated.setdefault((p.source, p.group), []).append(text)
    rows = tuple((data.sources[p.source]["short"], premium_group(data, p) + f" ({p.group})"
                  if p.level else premium_group(data, p),
                  format_figure(p.ml, p.ml.unit), format_figure(p.swe, p.swe.unit),
                  format_percent(p.percent, p.percent), p.formula,
                  "; ".join(stated.get((p.source, p.group), [])) or "none stated")
                 for p in found)
    columns = ("Source", group_title, "ML figure", "SWE figure", "Recomputed premium",
               "How", "Stated premium (verdict)")
    return Table(caption, columns, rows)


def premium_view(data: Dataset, audit, dimension: str, y: alt.Y, facet: bool,
                 group_title: str, where: str) -> tuple:
    """Recomputed premiums as diamonds over stated premiums as bands, with their table."""
    found = order_premiums(data, premiums(data.figures, dimension))
    rows = premium_rows(data, found, audit, dimension, y.shorthand)
    chart = premium_chart(rows, y, facet)
    caption = (f"ML premium over SWE pay by {where}. Tolerance for agreement: "
               f"{TOLERANCE_PP:g} percentage points. Sources: "
               f"{source_names(data, (p.source for p in found))}.")
    description = (f"Diamonds show the premium recomputed from each source's own figures; "
                   f"grey bands show the premium the source states for the same {where}.")
    table = premium_table(data, found, audit, dimension, caption, group_title)
    return chart, table, description


@chart_kind("premium_by_level", "ML premium by level, recomputed and as stated")
def premium_by_level(data: Dataset, audit) -> tuple:
    """Per source and level, the premium its own figures give and the premium it states."""
    return premium_view(data, audit, "experience",
                        alt.Y("level", type="ordinal", sort=ladder_names(data), title=None), True,
                        "Level (source's label)", "level")


def order_premiums(data: Dataset, found: list[Premium]) -> list[Premium]:
    """Sort premiums by source, then ladder or place order."""
    sources, ladder, cities = list(data.sources), list(data.ladder), list(data.cities)
    return sorted(found, key=lambda p: (sources.index(p.source), ladder.index(p.level)
                                        if p.level else cities.index(p.group)
                                        if p.group in cities else 0, p.group))


@chart_kind("postings_by_level", "Seniority mix of job postings")
def postings_by_level(data: Dataset, audit) -> tuple:
    """Share of each role's postings at each level."""
    figures = select(data, "experience", measures=["postings_share"])
    rows = [figure_row(data, f) for f in figures]
    chart = alt.Chart(alt.Data(values=rows)).mark_bar(height=12).encode(
        y=alt.Y("level", type="ordinal", sort=ladder_names(data), title=None),
        yOffset=alt.YOffset("role", type="nominal"),
        x=alt.X("value", type="quantitative", title="Share of the role's postings (%)"),
        color=role_color(), tooltip=figure_tooltip()).properties(width=CHART_WIDTH)
    caption = f"Seniority mix of open postings. Source: {source_names(data, ['jobboard'])}."
    description = "Bars show what share of each role's postings is entry, mid and senior."
    return chart, figure_table(data, figures, caption, "Level (source's label)"), description


@chart_kind("pay_by_city", "ML and SWE median pay by city")
def pay_by_city(data: Dataset, audit) -> tuple:
    """Per city, the median total compensation of each role (often a range of medians)."""
    figures = [f for f in select(data, "location") if f.role in ("mle", "swe")]
    rows = [figure_row(data, f) for f in figures]
    y = alt.Y("place", type="nominal", sort=place_names(data), title=None)
    chart = range_and_points(rows, y, "Median total compensation (USD per year)", "$~s")
    caption = (f"Median total compensation by city. Sources: "
               f"{source_names(data, (f.source for f in figures))}.")
    description = ("Bars span each city's stated range of medians for ML and software "
                   "engineers; points mark single figures.")
    return chart, figure_table(data, figures, caption, "Place"), description


@chart_kind("premium_by_city", "ML premium by city, recomputed and as stated")
def premium_by_city(data: Dataset, audit) -> tuple:
    """Per city, the premium the figures give and the premium the source states."""
    return premium_view(data, audit, "location",
                        alt.Y("place", type="nominal", sort=place_names(data), title=None), False,
                        "Place", "city")


@chart_kind("remote_work", "What the sources say about remote work")
def remote_work(data: Dataset, audit) -> tuple:
    """Remote share of listings per role, and the stated remote pay dip."""
    figures = select(data, "location", units=["percent"])
    rows = [dict(figure_row(data, f), item=f"{data.sources[f.source]['short']}: "
                 f"{data.measures[f.measure]['name'].lower()}") for f in figures]
    base = alt.Chart().encode(
        y=alt.Y("role", type="nominal", title=None),
        color=fixed_color("role", ANY_ROLE_COLORS, legend=None),
        tooltip=figure_tooltip())
    axis = alt.Axis(title="Percent", tickCount=4)
    bars = base.mark_bar(height=14).encode(x=alt.X("value", type="quantitative", axis=axis))
    spans = base.mark_bar(height=14).encode(x=alt.X("low", type="quantitative", axis=axis),
                                            x2="high")
    chart = by_panel(alt.layer(bars, spans, data=alt.Data(values=rows)).properties(
        width=CHART_WIDTH), rows, "item")
    caption = (f"Remote work: share of listings fully remote, and remote pay against on-site "
               f"pay. Sources: {source_names(data, (f.source for f in figures))}.")
    description = "Bars show remote shares of listings by role and the stated remote pay dip."
    return chart, figure_table(data, figures, caption, "Place"), description


def rank_grid(rows: list[dict], y: alt.Y) -> alt.LayerChart:
    """A grid of groups by role; each filled cell shows the group's rank for that role."""
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=y, x=alt.X("role", type="nominal", title=None,
                     axis=alt.Axis(orient="top", labelAngle=0)),
        tooltip=figure_tooltip())
    cells = base.mark_rect(cornerRadius=3).encode(color=role_color())
    ranks = base.mark_text(color="white", fontSize=14, fontWeight="bold").encode(
        text=alt.Text("value", type="quantitative", format="d"))
    return alt.layer(cells, ranks).properties(width=CHART_WIDTH)


@chart_kind("top_metros", "Top hiring metros by role")
def top_metros(data: Dataset, audit) -> tuple:
    """The metros with the most listings for each role, as ranks."""
    figures = select(data, "location", units=["rank"])
    rows = [figure_row(data, f) for f in figures]
    chart = rank_grid(rows, alt.Y("place", type="nominal", sort=place_names(data), title=None))
    caption = f"Top three hiring metros per role (1 = most listings). Source: " \
              f"{source_names(data, (f.source for f in figures))}."
    description = "A grid of metros by role; each filled cell shows the metro's rank."
    return chart, figure_table(data, figures, caption, "Place"), description


def ranked_premiums(data: Dataset, dimension: str, unit: str = "usd_per_year") -> list[Premium]:
    """A dimension's premiums, one per source and group, in display order."""
    return order_premiums(data, premiums(data.figures, dimension, unit))


def paired_rows(data: Dataset, found: list[Premium], **extra: Callable[[Figure], str]) -> list:
    """Chart rows for both figures of each premium, with extra fields computed per figure."""
    return [dict(figure_row(data, fig), center=fig.center,
                 **{name: make(fig) for name, make in extra.items()})
            for p in found for fig in (p.ml, p.swe)]


@chart_kind("ladder_overview", "All sources on one ladder: ML and SWE pay at each level")
def ladder_overview(data: Dataset, audit) -> tuple:
    """Each source's ML and SWE pay per common level, one mark per source and role."""
    found = ranked_premiums(data, "experience")
    def who(fig: Figure) -> str:
        return f"{data.sources[fig.source]['short']}, {short_measure(data, fig.measure).lower()}"
    rows = paired_rows(data, found, who=who, slot=lambda f: f"{who(f)} {f.role}")
    whos = list(dict.fromkeys(r["who"] for r in rows))
    slots = list(dict.fromkeys(r["slot"] for r in rows))
    axis = alt.Axis(format="$~s", tickCount=5, title="USD per year")
    base = alt.Chart().encode(
        y=alt.Y("level", type="ordinal", sort=ladder_names(data), title=None),
        yOffset=alt.YOffset("slot", type="nominal", sort=slots), color=role_color(),
        tooltip=figure_tooltip())
    spans = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("low", type="quantitative", axis=axis), x2="high")
    marks = base.mark_point(filled=True, size=55, stroke="#111827", strokeWidth=0.6).encode(
        x=alt.X("center", type="quantitative", axis=axis),
        shape=alt.Shape("who", type="nominal", sort=whos, title=None))
    chart = alt.layer(spans, marks, data=alt.Data(values=rows)).properties(
        width=CHART_WIDTH, height=alt.Step(9))
    caption = (f"ML and SWE pay per common level, each source's own statistic (median where "
               f"given, else the midpoint of its range). Sources: "
               f"{source_names(data, (p.source for p in found))}.")
    description = ("Per level, one line per source and role: the bar spans the source's range, "
                   "the symbol (its shape names the source) marks the median or midpoint.")
    return (chart, premium_table(data, found, audit, "experience", caption,
                                 "Level (source's label)"), description)


@chart_kind("pay_by_employer", "Pay by kind of employer, level by level")
def pay_by_employer(data: Dataset, audit) -> tuple:
    """Per common level, each source's (so each employer type's) ML and SWE pay."""
    found = ranked_premiums(data, "experience")
    def employer(source: dict) -> str:
        return source.get("employer", source["short"])
    rows = paired_rows(data, found, employer=lambda f: employer(data.sources[f.source]))
    employers = [employer(s) for s in data.sources.values()]
    chart = by_panel(range_and_points(
        rows, alt.Y("employer", type="nominal", sort=employers, title=None),
        "USD per year", "$~s"), rows, "level", "ordinal")
    figures = [f for p in found for f in (p.ml, p.swe)]
    caption = (f"ML and SWE pay per level and kind of employer (each source covers one kind). "
               f"Sources: {source_names(data, (f.source for f in figures))}.")
    description = ("One panel per level; within it, one row per kind of employer, with the "
                   "ML and SWE figures that source gives.")
    return chart, figure_table(data, ordered(data, figures), caption,
                               "Level (source's label)"), description


@chart_kind("equity_by_level", "Startup equity by level")
def equity_by_level(data: Dataset, audit) -> tuple:
    """Target equity ranges per level and role."""
    figures = select(data, "equity", units=["percent"])
    rows = [figure_row(data, f) for f in figures]
    chart = range_and_points(
        rows, alt.Y("level", type="ordinal", sort=ladder_names(data), title=None),
        "Equity (% of the company)", "~g")
    found = ranked_premiums(data, "equity", unit="percent")
    caption = (f"Target equity per level, and how much larger the ML grant is (ratio of range "
               f"midpoints). Source: {source_names(data, (f.source for f in figures))}.")
    description = "Bars span the target equity range for each role at each level."
    return (chart, premium_table(data, found, audit, "equity", caption,
                                 "Level (source's label)"), description)


def short_measure(data: Dataset, measure: str) -> str:
    """A measure's short name for chart labels ("Total comp"), or its full name."""
    return data.measures[measure].get("short", data.measures[measure]["name"])


def item_rows(data: Dataset, figures: list[Figure]) -> list[dict]:
    """Chart rows labelled by what each figure is: "Total comp: median"."""
    return [dict(figure_row(data, f), item=f"{short_measure(data, f.measure)}: {STATS[f.stat]}")
            for f in figures]


def item_axis(items: list[str]) -> alt.Y:
    """A y axis of figure descriptions, wide enough to read them whole."""
    return alt.Y("item", type="nominal", sort=items, title=None,
                 axis=alt.Axis(labelLimit=190))


@chart_kind("base_vs_total", "Base salary against total compensation")
def base_vs_total(data: Dataset, audit) -> tuple:
    """A source's base-salary range next to its total-compensation statistics."""
    figures = [f for f in select(data, "distribution", measures=["base_salary", "total_comp"])
               if any(g.source == f.source and g.measure == "base_salary"
                      for g in data.figures)]
    rows = item_rows(data, figures)
    items = list(dict.fromkeys(r["item"] for r in rows))
    chart = range_and_points(rows, item_axis(items), "USD per year", "$~s")
    shares = base_shares(data, figures)
    caption = (f"Base salary and total compensation for the whole sample. Source: "
               f"{source_names(data, (f.source for f in figures))}.")
    description = ("Bars span ranges, points mark single figures. Base-salary midpoint as a "
                   "share of median total compensation: " + ", ".join(
                       f"{role} {share:.0f}%" for role, share in shares) + ".")
    return chart, figure_table(data, figures, caption, "Group"), description


def base_shares(data: Dataset, figures: list[Figure]) -> list[tuple[str, float]]:
    """Per role, the base-salary midpoint as a percent of median total compensation."""
    shares = []
    for role in ("mle", "swe"):
        base = [f for f in figures if f.role == role and f.measure == "base_salary"]
        total = [f for f in figures if f.role == role and f.measure == "total_comp"
                 and f.stat == "median"]
        if base and total:
            shares.append((data.roles[role]["name"], base[0].center / total[0].center * 100))
    return shares


@chart_kind("pay_distribution", "Averages, medians, percentiles and ranges, per source")
def pay_distribution(data: Dataset, audit) -> tuple:
    """Every whole-sample pay statistic, one panel per source."""
    figures = select(data, "distribution")
    rows = item_rows(data, figures)
    for row, fig in zip(rows, figures):
        row["panel"] = data.sources[fig.source]["short"]
    items = list(dict.fromkeys(r["item"] for r in rows))
    chart = by_panel(range_and_points(rows, item_axis(items), "USD per year", "$~s"),
                     rows, "panel")
    caption = (f"Whole-sample pay statistics as each source states them. Sources: "
               f"{source_names(data, (f.source for f in figures))}.")
    description = ("One panel per source; each row is one statistic, with bars for ranges "
                   "and points for single figures.")
    return chart, figure_table(data, figures, caption, "Group"), description


@chart_kind("specialisation_pay", "Software specialisations against ML pay, same level")
def specialisation_pay(data: Dataset, audit) -> tuple:
    """Specialised SWE bands next to the ML and general SWE bands at the same level."""
    special = select(data, "specialisation")
    keys = {(f.source, f.level, f.measure, f.stat) for f in special}
    general = [f for f in select(data, "experience")
               if (f.source, f.level, f.measure, f.stat) in keys]
    figures = ordered(data, general) + special
    def band(fig: Figure) -> str:
        if fig.dimension == "specialisation":
            return fig.scope or fig.group
        return "General SWE" if fig.role == "swe" else "ML engineer"
    rows = [dict(figure_row(data, f), band=band(f), center=f.center) for f in figures]
    bands = [r["band"] for r in rows]
    axis = alt.Axis(format="$~s", tickCount=4, title="Total compensation (USD per year)")
    base = alt.Chart().encode(y=alt.Y("band", type="nominal", sort=bands, title=None),
                              color=role_color(), tooltip=figure_tooltip())
    spans = base.mark_rule(strokeWidth=8, strokeCap="round").encode(
        x=alt.X("low", type="quantitative", axis=axis), x2="high")
    mids = base.mark_tick(color="#111827", thickness=2, size=14).encode(
        x=alt.X("center", type="quantitative", axis=axis))
    chart = alt.layer(spans, mids, data=alt.Data(values=rows)).properties(width=CHART_WIDTH)
    reference = {f.role: f for f in general}
    table_rows = tuple(
        (band(f), group_name(data, f), format_figure(f, f.unit),
         format_number(f.center, f.unit),
         *(format_percent(*[(f.center / reference[r].center - 1) * 100] * 2)
           if r in reference else "not given" for r in ("swe", "mle")), f.as_stated)
        for f in figures)
    levels = ", ".join(sorted({f.group for f in figures}))
    caption = (f"Total-compensation bands at one level ({levels}): ML engineers, general "
               f"software engineers and specialised software engineers. Source: "
               f"{source_names(data, (f.source for f in figures))}.")
    table = Table(caption, ("Band", "Level (source's label)", "Figure", "Midpoint",
                            "Midpoint vs general SWE", "Midpoint vs ML", "As stated"),
                  table_rows)
    description = "Bars span each band; the dark tick marks its midpoint."
    return chart, table, description


def count_rows(data: Dataset, figures: list[Figure]) -> list[dict]:
    """Chart rows for counts, one panel per source and measure."""
    return [dict(figure_row(data, f), panel=f"{data.sources[f.source]['short']}: "
                 f"{data.measures[f.measure]['name'].lower()}") for f in figures]


@chart_kind("open_roles", "Open roles and tracked roles per role")
def open_roles(data: Dataset, audit) -> tuple:
    """How many roles each source counts for each role, one panel per source."""
    figures = ordered(data, (f for f in data.figures
                             if f.measure in ("open_positions", "roles_tracked")))
    rows = count_rows(data, figures)
    chart = alt.Chart(alt.Data(values=rows)).mark_bar(height=14).encode(
        y=alt.Y("role", type="nominal", title=None, sort=[r["name"] for r in
                                                          data.roles.values()]),
        x=alt.X("value", type="quantitative", title="Roles",
                axis=alt.Axis(tickCount=4, format="~s")),
        color=fixed_color("role", ANY_ROLE_COLORS, legend=None),
        tooltip=figure_tooltip()).properties(width=CHART_WIDTH)
    chart = by_panel(chart, rows, "panel", independent=("x", "y"))
    caption = (f"Roles counted per role; each panel has its own scale. Sources: "
               f"{source_names(data, (f.source for f in figures))}.")
    description = ("Bars show how many roles each source counted for each role; the scales "
                   "differ by panel because the counts differ a hundredfold.")
    return chart, figure_table(data, figures, caption, "Group"), description


@chart_kind("postings_growth", "How fast postings grow")
def postings_growth(data: Dataset, audit) -> tuple:
    """Stated annual growth of job postings per role."""
    growth = select(data, "demand", units=["percent_change"])
    rows = [figure_row(data, f) for f in growth]
    chart = range_and_points(rows, alt.Y("role", type="nominal", title=None),
                             "Growth in postings per year (%)", "~g")
    horizons = select(data, "demand", units=["year"])
    caption = (f"Growth of postings per year, and how far the cited employment projections "
               f"run. Sources: {source_names(data, (f.source for f in growth + horizons))}.")
    description = "Bars span the stated yearly growth range of job postings for each role."
    return chart, figure_table(data, growth + horizons, caption, "Group"), description


@chart_kind("top_skills", "The top 8 skills each role asks for")
def top_skills(data: Dataset, audit) -> tuple:
    """Each role's top skills by rank, and the overlap between the two lists."""
    ranks = select(data, "skills", units=["rank"])
    rows = [figure_row(data, f) for f in ranks]
    skills = sorted({f.group for f in ranks},
                    key=lambda s: (min(f.value for f in ranks if f.group == s), s))
    chart = rank_grid(rows, alt.Y("label", type="nominal", sort=skills, title=None))
    shared, tops = skill_overlap(ranks)
    stated = select(data, "skills", units=["count", "percent"])
    caption = (f"Each role's top 8 skills by rank (1 = most asked). Recomputed from the two "
               f"lists: {len(shared)} of {tops} skills shared ({len(shared) / tops * 100:.1f}%): "
               f"{', '.join(sorted(shared))}. Source: "
               f"{source_names(data, (f.source for f in ranks))}.")
    description = ("A grid of skills by role; a filled cell means the skill is in that role's "
                   "top 8, and shows its rank.")
    return chart, figure_table(data, ranks + stated, caption, "Skill"), description


def skill_overlap(ranks: list[Figure]) -> tuple[set[str], int]:
    """The skills in both roles' lists, and the length of the longer list."""
    by_role: dict[str, set[str]] = {}
    for fig in ranks:
        by_role.setdefault(fig.role, set()).add(fig.group)
    lists = list(by_role.values())
    return set.intersection(*lists), max(len(skills) for skills in lists)


@chart_kind("switch_time", "How long a switch from software to ML takes")
def switch_time(data: Dataset, audit) -> tuple:
    """Each source's estimate of the months a switch takes."""
    months = select(data, "switch", units=["months"])
    rows = [dict(figure_row(data, f), who=data.sources[f.source]["short"]) for f in months]
    chart = range_and_points(rows, alt.Y("who", type="nominal", title=None,
                                         sort=[r["who"] for r in rows],
                                         axis=alt.Axis(labelLimit=150)),
                             "Months", "~g", legend=False)
    rest = [f for f in select(data, "switch", units=list(UNITS)) if f.unit != "months"]
    caption = (f"What the sources say about switching from software to ML engineering. "
               f"Sources: {source_names(data, (f.source for f in months + rest))}.")
    description = "Bars span each source's estimate of how many months a switch takes."
    return chart, figure_table(data, months + rest, caption, "Move"), description


@chart_kind("switch_pay", "What a switch pays, against the level tables")
def switch_pay(data: Dataset, audit) -> tuple:
    """The stated pay gain of a switch next to the ML-minus-SWE gap at each level."""
    found = ranked_premiums(data, "experience")
    rows = [{"source": data.sources[p.source]["short"], "level": data.ladder[p.level]["name"],
             "value": p.ml.center - p.swe.center, "kind": "ML minus SWE, from level tables",
             "figure": compared_pair(p),
             "label": p.group, "low": None, "high": None} for p in found]
    gains = select(data, "switch", measures=["switch_pay_gain"])
    for fig in gains:
        rows += [{"source": data.sources[fig.source]["short"], "level": name, "value": None,
                  "kind": "Stated gain from a switch", "figure": format_figure(fig, fig.unit),
                  "label": fig.scope or "", "low": fig.low, "high": fig.high}
                 for name in ladder_names(data)]
    axis = alt.Axis(format="$~s", tickCount=5, title="ML pay minus SWE pay (USD per year)")
    y = alt.Y("level", type="ordinal", sort=ladder_names(data), title=None)
    tooltip = [alt.Tooltip(f, type="nominal", title=t) for f, t in
               (("source", "Source"), ("kind", "What"), ("label", "Group"),
                ("figure", "Figures"))]
    band = alt.Chart().mark_bar(color="#D1D5DB", opacity=0.8).encode(
        y=y, x=alt.X("low", type="quantitative", axis=axis), x2="high", tooltip=tooltip)
    points = alt.Chart().mark_point(filled=True, size=70, stroke="#111827",
                                    strokeWidth=0.6).encode(
        y=y, x=alt.X("value", type="quantitative", axis=axis),
        shape=alt.Shape("source", type="nominal", title=None),
        color=alt.Color("source", type="nominal", title=None,
                        scale=alt.Scale(range=["#0072B2", "#E69F00", "#009E73", "#CC79A7"])),
        tooltip=tooltip)
    chart = alt.layer(band, points, data=alt.Data(values=rows)).properties(width=CHART_WIDTH)
    table_rows = tuple((r["source"], f"{r['level']} ({r['label']})", r["figure"],
                        format_number(r["value"], "usd_per_year")) for r in rows if r["value"]
                       is not None)
    table_rows += tuple((data.sources[f.source]["short"], f.scope or "", format_figure(
        f, f.unit), "stated gain") for f in gains)
    caption = (f"How much more ML engineers are paid than software engineers at each level "
               f"(midpoints or medians), against the gain a switch is said to bring. Sources: "
               f"{source_names(data, [p.source for p in found] + [f.source for f in gains])}.")
    description = ("The grey band is the stated gain from switching; symbols show the ML-minus-"
                   "SWE pay gap each source's level table gives.")
    return chart, Table(caption, ("Source", "Level or group", "Figures", "ML minus SWE"),
                        table_rows), description


def compared_pair(premium: Premium) -> str:
    """Write a premium's two figures: "ML $170,000 vs SWE $130,000"."""
    return (f"ML {format_figure(premium.ml, premium.ml.unit)} vs "
            f"SWE {format_figure(premium.swe, premium.swe.unit)}")


def claim_about(data: Dataset, claim: Claim) -> str:
    """Say which figures a claim is about: its groups, or every group."""
    groups = claim.groups
    if groups is None and claim.a.groups and claim.b.groups:
        return (f"{', '.join(group_label(data, g) for g in claim.a.groups)} against "
                f"{', '.join(group_label(data, g) for g in claim.b.groups)}")
    if groups is None:
        return "every level" if data.group_kinds[claim.dimension] == "level" else "every group"
    return ", ".join(group_label(data, g) for g in groups)


def claim_subject(data: Dataset, claim: Claim) -> str:
    """Say what a claim compares: "ML over SWE pay", "ML roles as a share of all"."""
    a, b = (data.roles[s.role]["name"] if s.role else "each role" for s in (claim.a, claim.b))
    measure = data.measures[claim.measure]["name"].lower()
    return {"premium": f"{a} {measure} over {b}", "dip": f"{measure} shortfall",
            "share": f"{a} as a share of {b.lower()} ({measure})",
            "difference": f"{a} minus {b} ({measure})"}[claim.formula]


def format_result(claim: Claim, low: float, high: float) -> str:
    """Write a recomputed number in the claim's own terms."""
    if claim.formula == "difference":
        if round(low) == round(high):
            return format_number(low, claim.unit)
        return f"{format_number(low, claim.unit)} to {format_number(high, claim.unit)}"
    if claim.formula == "premium":
        return format_percent(low, high)
    return f"{low:.1f}%" if round(low, 1) == round(high, 1) else f"{low:.1f}% to {high:.1f}%"


def audit_row(data: Dataset, result: Recomputed) -> tuple[str, ...]:
    """One claim's line in the audit table."""
    claim = result.claim
    used = "; ".join(dict.fromkeys(
        f"{group_label(data, c.a.group)}: {format_figure(c.a, c.a.unit)} vs "
        f"{group_label(data, c.b.group) + ' ' if c.a.group != c.b.group else ''}"
        f"{format_figure(c.b, c.b.unit)}" for c in result.comparisons))
    readings = "; ".join(f"{name}: {format_result(claim, low, high)}"
                         for name, low, high in result.readings) or "none"
    others = "; ".join(f"{data.sources[c.source]['short']}: "
                       f"{format_result(claim, c.low, c.high)} ({c.basis})"
                       for c in result.others) or "none comparable"
    return (data.sources[claim.source]["short"], claim.as_stated, claim_subject(data, claim),
            claim_about(data, claim), format_figure(claim, claim.unit),
            format_result(claim, result.low, result.high), used,
            "; ".join(dict.fromkeys(c.how for c in result.comparisons)), readings, others,
            result.verdict)


AUDIT_COLUMNS = ("Source", "Claim as stated", "What is compared", "About", "Stated",
                 "Recomputed from its own figures", "Figures used", "How",
                 "Same formula on range ends", "Other sources' figures give", "Verdict")


@chart_kind("claims_audit", "Every premium claim against its source's own figures")
def claims_audit(data: Dataset, audit) -> tuple:
    """All premium claims as bands, the premiums their figures give as diamonds."""
    rows = []
    for result in audit:
        if not result.premiums:
            continue
        claim = result.claim
        label = f"{claim_about(data, claim)}: {format_figure(claim, 'percent')}"
        if any(row["claim"] == label for row in rows):  # two claims alike: name them
            label += f" ({claim.id})"
        rows.append(stated_row(data, claim, "claim", label, 1))
        rows += [recomputed_row(data, p, "claim", label) for p in result.premiums]
    y = alt.Y("claim", type="nominal", title=None, sort=list(dict.fromkeys(
        r["claim"] for r in rows)), axis=alt.Axis(labelLimit=150))
    chart = premium_chart(rows, y, True)
    caption = (f"Every claim, stated against recomputed. Tolerance: {TOLERANCE_PP:g} "
               f"percentage points for percentages, "
               f"{format_number(TOLERANCES['usd_per_year'], 'usd_per_year')} for dollar "
               f"amounts; a claim stated with 'or more' has no upper limit. Sources: "
               f"{source_names(data, (r.claim.source for r in audit))}.")
    table = Table(caption, AUDIT_COLUMNS, tuple(audit_row(data, r) for r in audit))
    description = ("Per source, each premium claim as a grey band (as ML over SWE pay) and the "
                   "premium its own figures give as diamonds; the table also lists claims "
                   "about shares, dips and dollar gaps.")
    return chart, table, description


@chart_kind("headline_premium", "Each source's headline claim, recomputed")
def headline_premium(data: Dataset, audit) -> tuple:
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
         r.claim.as_stated, signed_claim(r.claim),
         format_percent(*ml_premium_range(r)),
         compared_figures(data, r), r.premiums[0].formula, r.verdict) for r in results)
    caption = (f"Headline claims: the ML premium over SWE pay each source states, and what "
               f"its own figures give (negative: SWE paid more). Tolerance "
               f"{TOLERANCE_PP:g} percentage points. Sources: "
               f"{source_names(data, (r.claim.source for r in results))}.")
    table = Table(caption, ("Source", "Population", "Claim as stated", "Stated ML premium",
                            "Recomputed", "Figures compared", "How", "Verdict"), table_rows)
    description = ("For each source, a grey band shows its headline ML premium and diamonds "
                   "show the premium recomputed from its own figures.")
    return chart, table, description


def compared_figures(data: Dataset, result: Recomputed) -> str:
    """List the ML and SWE figures a claim was recomputed from."""
    return "; ".join(f"{group_label(data, p.group)}: {compared_pair(p)}"
                     for p in result.premiums)


def ml_premium_range(result: Recomputed) -> tuple[float, float]:
    """The recomputed premiums as ML over SWE (negative when SWE is paid more)."""
    return spread(p.percent for p in result.premiums)


def as_ml_premium(swe_over_ml: float) -> float:
    """Turn "SWE gets X% more" into "ML gets Y% more" (Y is negative)."""
    return (1 / (1 + swe_over_ml / 100) - 1) * 100


def stated_as_ml_premium(claim: Claim) -> tuple[float, float]:
    """A claim's stated low and high, as ML over SWE."""
    low, high = claim.stated
    if claim.premium == "ml_over_swe":
        return low, high
    return tuple(sorted((as_ml_premium(low), as_ml_premium(high))))


def signed_claim(claim: Claim) -> str:
    """Write a stated premium as ML over SWE, keeping a SWE-over-ML claim's own figure."""
    if claim.premium == "ml_over_swe":
        return format_figure(claim, "percent")
    return (f"{format_percent(*stated_as_ml_premium(claim))} "
            f"(stated as SWE +{format_figure(claim, 'percent')})")


class RenderCache:
    """Compiled Vega specs and SVGs, on disk under the hash of their inputs.

    A key covers everything the output depends on (the spec, the fonts, the vl-convert and
    Vega-Lite versions), so a hit returns exactly the bytes a fresh render would give.
    """

    def __init__(self, folder: Path | None, fonts_dir: Path):
        self.folder = folder
        fonts = b"".join(p.read_bytes() for p in sorted(fonts_dir.glob("*.ttf")))
        self.salt = (f"vl-convert {vl_convert.__version__}; Vega-Lite {VEGA_LITE_VERSION}; "
                     f"fonts {hashlib.sha256(fonts).hexdigest()}")
        self.hits = self.misses = 0

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.salt}\n{text}".encode("utf-8")).hexdigest()

    def get(self, key: str) -> bytes | None:
        path = self.folder / key[:2] / key if self.folder else None
        if path and path.is_file():
            self.hits += 1
            return path.read_bytes()
        self.misses += 1
        return None

    def put(self, key: str, content: bytes) -> None:
        if not self.folder:
            return
        path = self.folder / key[:2] / key
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, path)  # whole or absent, even if the build is killed


def check_fonts(fonts_dir: Path) -> None:
    """The shipped font makes SVG text metrics, and so the bytes, the same on every machine."""
    if not list(fonts_dir.glob("*.ttf")):
        raise BuildError([Problem(display_path(fonts_dir), 1, 1, "no chart font (*.ttf) here; "
                                  "the build needs it to measure chart text the same way "
                                  "on every machine")])


def render_spec(spec_text: str) -> str:
    """Compile a Vega-Lite spec to Vega and draw it as SVG: {"vega": ..., "svg": ...}."""
    # Compiled here so the browser only runs Vega, never the Vega-Lite compiler.
    vega_spec = vl_convert.vegalite_to_vega(json.loads(spec_text), vl_version=VEGA_LITE_VERSION)
    return json.dumps({"vega": vega_spec, "svg": vl_convert.vega_to_svg(vega_spec)})


def start_renderer(fonts_dir: str) -> None:
    """Set up one rendering worker: vl-convert starts once per worker, not per chart."""
    vl_convert.register_font_directory(fonts_dir)


# Below this many charts to draw, starting worker processes costs more than it saves.
PARALLEL_FROM = 8


def render_specs(spec_texts: list[str], fonts_dir: Path, jobs: int) -> list[str]:
    """Render specs, across `jobs` worker processes when there are enough of them."""
    return in_workers(render_spec, spec_texts, jobs, PARALLEL_FROM,
                      setup=start_renderer, setup_args=(str(fonts_dir.resolve()),))


def in_workers(function: Callable, items: list, jobs: int, worth_from: int,
               setup: Callable | None = None, setup_args: tuple = ()) -> list:
    """function(item) for every item, in order, shared by this process and jobs - 1 workers
    when there are at least `worth_from` items (fewer are done here: starting a worker would
    cost more than it saves).

    This process starts on the first items at once, while the workers start up and take
    items from the far end; whichever reaches a chunk first does it. Workers are spawned,
    never forked: a fork would copy vl-convert's V8 threads and, under `serve`, the web
    server's locks. Each process runs `setup` once before its first item.
    """
    if setup:
        setup(*setup_args)
    if jobs <= 1 or len(items) < worth_from:
        return [function(item) for item in items]
    size = max(1, len(items) // (jobs * 16))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    pool = concurrent.futures.ProcessPoolExecutor(
        jobs - 1, mp_context=multiprocessing.get_context("spawn"), initializer=setup,
        initargs=setup_args)
    try:
        with workers_ignore_ctrl_c():  # submit() starts the workers
            futures = [pool.submit(run_chunk, function, chunk)
                       for chunk in reversed(chunks)][::-1]
        done_here = []
        for chunk, future in zip(chunks, futures):
            if not future.cancel():  # a worker has it, and every chunk after it
                break
            done_here.append(run_chunk(function, chunk))
        taken = [future.result() for future in futures[len(done_here):]]
    finally:  # after Ctrl-C or an error, chunks no worker has begun are dropped
        pool.shutdown(cancel_futures=True)
    return [result for chunk in done_here + taken for result in chunk]


@contextlib.contextmanager
def workers_ignore_ctrl_c():
    """Processes started inside this block never receive Ctrl-C: it is blocked while they
    start, and a blocked signal stays blocked across exec. A Ctrl-C meanwhile waits, and
    reaches this process when the block ends. So Ctrl-C stops the build's own process with
    one line, not with a traceback from every worker."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def run_chunk(function: Callable, chunk: list) -> list:
    """Run function over one chunk of items (in a worker, one message per chunk)."""
    return [function(item) for item in chunk]


def make_charts(names: Iterable[str], data: Dataset, audit, fonts_dir: Path,
                cache: RenderCache, jobs: int = 1) -> dict[str, Chart]:
    """Build each named chart once: spec and table here, SVG from the cache or rendered."""
    names = sorted(set(names))
    if names:
        load_altair()
    made = {}
    for name in names:
        title, maker = CHART_MAKERS[name]
        chart, table, description = maker(data, audit)
        made[name] = (title, description, chart.to_dict(), table)
    texts = {name: json.dumps(spec, sort_keys=True) for name, (_, _, spec, _) in made.items()}
    keys = {name: cache.key(text) for name, text in texts.items()}
    found = {name: cache.get(key) for name, key in keys.items()}
    missing = [name for name in made if found[name] is None]
    for name, rendered in zip(missing, render_specs([texts[n] for n in missing], fonts_dir,
                                                    jobs)):
        found[name] = rendered.encode("utf-8")
        cache.put(keys[name], found[name])
    charts = {}
    for name, (title, description, spec, table) in made.items():
        rendered = json.loads(found[name])
        charts[name] = Chart(name, title, description, spec, rendered["vega"], rendered["svg"],
                             table)
    return charts


# --------------------------------------------------------------------------- pages

TEMPLATES = ("page", "home", "sources", "error")
FRONT_MATTER = mapping(
    ["title", "summary", "order"],
    title=TEXT, summary=TEXT, order={"type": "integer"}, slug=SLUG, dimension=SLUG,
    nav_title=TEXT,
    charts={"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    template={"enum": list(TEMPLATES)}, nav={"type": "boolean"})
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "toc"]
# No typographic rewriting: commentary is written with the characters themselves (’ “ ” – …).
# The smarty extension would double Markdown's time for what an editor can type.
MARKDOWN_SETTINGS: dict = {"toc": {"marker": ""}}  # no [TOC] marker: skips a walk of every page
ALLOWED_TAGS = {"a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li",
                "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
                "thead", "tr", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "h2": {"id"}, "h3": {"id"},
                      "h4": {"id"}, "td": {"align"}, "th": {"align"}}


@dataclasses.dataclass(frozen=True)
class Page:
    """One Markdown page with its checked front matter."""

    slug: str
    src_path: Path
    title: str
    summary: str
    order: int
    dimension: str | None
    charts: tuple[str, ...]
    template: str
    nav: bool
    nav_title: str
    body_html: str

    @property
    def out_name(self) -> str:
        """The page's file name inside site/."""
        return f"{self.slug}.html"


# From this many pages, reading them in worker processes (Markdown is most of a page's cost)
# saves more than starting the workers costs; below it, pages are read here.
PAGES_PARALLEL_FROM = 200


def load_pages(content_dir: Path, data: Dataset, jobs: int = 1) -> tuple[Page, ...]:
    """Read every content/*.md page, checking front matter, slugs and chart names."""
    if not content_dir.is_dir():
        raise BuildError([Problem(display_path(content_dir), 1, 1, "content folder not found")])
    paths = sorted(content_dir.glob("*.md"))
    read = functools.partial(page_or_problems, dimensions=tuple(data.group_kinds))
    pages, problems = [], []
    for result in in_workers(read, paths, jobs, PAGES_PARALLEL_FROM):
        if isinstance(result, Page):
            pages.append(result)
        else:
            problems.extend(result)
    problems += slug_problems(pages)
    if not pages and not problems:
        problems.append(Problem(display_path(content_dir), 1, 1, "no pages (*.md) found"))
    if problems:
        raise BuildError(problems)
    return tuple(sorted(pages, key=lambda p: (p.order, p.slug)))


def page_or_problems(path: Path, dimensions: tuple[str, ...]) -> Page | list[Problem]:
    """read_page's result as a value a worker process can send back."""
    try:
        return read_page(path, dimensions)
    except BuildError as error:
        return error.problems


def read_page(path: Path, dimensions: Iterable[str]) -> Page:
    """Split a page into front matter and body, and check both (dimensions: the known ones)."""
    text = read_text(path)
    match = re.match(r"---[ \t]*\n(.*?\n)?---[ \t]*\n", text, re.S)
    if not match:
        raise BuildError([Problem(display_path(path), 1, 1, "a page must start with front "
                                  "matter between two '---' lines")])
    doc = parse_yaml(match.group(1) or "", path, first_line=2)
    if not isinstance(doc.value, dict):
        raise BuildError([doc.problem((), "front matter must be a mapping (key: value)")])
    problems = schema_problems(doc, FRONT_MATTER)
    meta = doc.value
    for i, name in enumerate(meta.get("charts", []) if not problems else []):
        if name not in CHART_MAKERS:
            problems.append(doc.problem(("charts", i), unknown("chart", name, CHART_MAKERS)))
    if not problems and meta.get("dimension") and meta["dimension"] not in dimensions:
        problems.append(doc.problem(("dimension",), unknown(
            "dimension", meta["dimension"], dimensions)))
    slug = meta.get("slug", path.stem) if not problems else path.stem
    if not problems and not re.fullmatch(SLUG["pattern"], slug):
        problems.append(Problem(display_path(path), 1, 1, f"file name {path.stem!r} is not "
                                "a valid page slug: use lower-case letters, digits, - and _"))
    if problems:
        raise BuildError(problems)
    body = text[match.end():]
    return Page(slug=slug, src_path=path, title=meta["title"], summary=meta["summary"],
                order=meta["order"], dimension=meta.get("dimension"),
                charts=tuple(meta.get("charts", ())), template=meta.get("template", "page"),
                nav=meta.get("nav", True), nav_title=meta.get("nav_title", meta["title"]),
                body_html=render_markdown(body))


@functools.cache
def markdown_converter() -> markdown.Markdown:
    """One converter for every page (reset between pages): setting one up costs more than
    a short page."""
    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html",
                             extension_configs=MARKDOWN_SETTINGS)


def slug_problems(pages: list[Page]) -> list[Problem]:
    """Refuse two pages that would write the same file, and reserved names."""
    problems, seen = [], {}
    for page in pages:
        if page.slug in seen:
            problems.append(Problem(display_path(page.src_path), 1, 1,
                                    f"slug {page.slug!r} is already used by "
                                    f"{display_path(seen[page.slug])}"))
        seen.setdefault(page.slug, page.src_path)
    if "index" not in seen and pages:
        problems.append(Problem(display_path(pages[0].src_path.parent), 1, 1,
                                "no home page: add index.md"))
    return problems


def render_markdown(text: str) -> str:
    """Turn Markdown into HTML, keeping only an allow-list of tags and attributes."""
    html = markdown_converter().reset().convert(text)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"mailto"}, link_rel=None)


# --------------------------------------------------------------------------- rendering

def make_environment(templates_dir: Path) -> jinja2.Environment:
    """A strict, autoescaping Jinja2 environment."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir), undefined=jinja2.StrictUndefined,
        autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["csp_hash"] = csp_hash
    return env


def csp_hash(text: str) -> Markup:
    """The Content-Security-Policy source that allows one inline script with exactly this
    text: 'sha256-<base64 digest>'."""
    digest = base64.b64encode(hashlib.sha256(str(text).encode("utf-8")).digest()).decode()
    return Markup(f"'sha256-{digest}'")


def render_site(pages: tuple[Page, ...], charts: dict[str, Chart], data: Dataset,
                audit: tuple[Recomputed, ...], changed: str,
                templates_dir: Path) -> dict[str, bytes]:
    """Render every page and chart file into a map of site-relative path to bytes."""
    env = make_environment(templates_dir)
    files: dict[str, bytes] = {SITE_MARKER: b""}
    nav = [page for page in pages if page.nav]
    shared = {**site_context(nav, data, audit), "last_changed": changed}
    nav_links = NavLinks(nav)
    for page in pages:
        context = {**shared, **page_context(page, nav_links, charts)}
        try:
            html = env.get_template(f"{page.template}.html").render(context)
        except jinja2.TemplateError as error:
            raise template_problem(error, templates_dir) from error
        files[page.out_name] = html.encode("utf-8")
        for name in page.charts:
            files.update(chart_files(page, charts[name]))
    files.update(dataset_files(data, audit))
    files.update(asset_files(templates_dir))
    return files


def chart_files(page: Page, chart: Chart) -> dict[str, bytes]:
    """A chart's Vega-Lite spec and its table as CSV and JSON, beside its page."""
    rows = [dict(zip(chart.table.columns, row)) for row in chart.table.rows]
    return {chart_file(page, chart.name, "vl.json"): spec_json(chart.spec).encode("utf-8"),
            chart_file(page, chart.name, "csv"): csv_text(chart.table.columns,
                                                          chart.table.rows).encode("utf-8"),
            chart_file(page, chart.name, "json"): spec_json(
                {"title": chart.title, "caption": chart.table.caption, "rows": rows}
            ).encode("utf-8")}


def csv_text(columns: Iterable[str], rows: Iterable[Iterable]) -> str:
    """Write rows as CSV with Unix line ends, the same bytes every time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return out.getvalue()


FIGURE_COLUMNS = ("source", "role", "dimension", "group", "level", "measure", "statistic",
                  "value", "low", "high", "unit", "qualifiers", "scope", "as_stated")
CLAIM_COLUMNS = ("id", "source", "dimension", "measure", "statistic", "formula", "stated_low",
                 "stated_high", "unit", "qualifiers", "recomputed_low", "recomputed_high",
                 "verdict", "as_stated")


def dataset_files(data: Dataset, audit: tuple[Recomputed, ...]) -> dict[str, bytes]:
    """The whole data set, one row per observation, and every claim with its verdict."""
    figures = [(f.source, f.role, f.dimension, f.group, f.level, f.measure, f.stat, f.value,
                f.low, f.high, f.unit, ";".join(f.qualifiers), f.scope, f.as_stated)
               for f in data.figures]
    claims = [(r.claim.id, r.claim.source, r.claim.dimension, r.claim.measure, r.claim.stat,
               r.claim.formula, *r.claim.stated, r.claim.unit, ";".join(r.claim.qualifiers),
               round(r.low, 2), round(r.high, 2), r.verdict, r.claim.as_stated)
              for r in audit]
    files = {}
    for name, columns, rows in (("figures", FIGURE_COLUMNS, figures),
                                ("claims", CLAIM_COLUMNS, claims)):
        files[f"downloads/{name}.csv"] = csv_text(columns, rows).encode("utf-8")
        files[f"downloads/{name}.json"] = spec_json(
            [dict(zip(columns, row)) for row in rows]).encode("utf-8")
    return files


def template_problem(error: jinja2.TemplateError, templates_dir: Path) -> BuildError:
    """Locate a template error for the person editing templates/."""
    path, line = templates_dir, 1
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        path, line = Path(error.filename), error.lineno
    else:
        # Jinja rewrites tracebacks so that template frames carry the template's own lines.
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename.endswith(".html"):
                path, line = Path(frame.filename), frame.lineno
    return BuildError([Problem(display_path(path), line, 1, f"template: {error.message}")])


def chart_file(page: Page, chart_name: str, suffix: str) -> str:
    """A file beside the page for one of its charts: spec (vl.json), table (csv, json)."""
    return f"{page.slug}.{chart_name}.{suffix}"


def spec_json(spec: dict) -> str:
    """Serialise a spec the same way every time."""
    return json.dumps(spec, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def inline_json(spec: dict) -> Markup:
    """Serialise a spec for a <script type="application/json"> block, safely."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def site_context(nav: list[Page], data: Dataset, audit: tuple[Recomputed, ...]) -> dict:
    """What every page's template may use, computed once per build."""
    return {
        "site_title": SITE_TITLE,
        "dimension_pages": [p for p in nav if p.slug != "index"],
        "findings": findings(data, audit),
        "audit_href": next((p.out_name for p in nav if "claims_audit" in p.charts), None),
        "sources": list(data.sources.values()),
        "roles": data.roles,
        "ladder": data.ladder,
        "level_maps": data.level_maps,
        "counts": source_counts(data, data.figures),
        "claim_counts": source_counts(data, data.claims),
    }


class NavLinks:
    """The navigation list's HTML, made once: with many pages, a loop per page costs
    pages x pages. A page gets the same list with its own entry marked as current."""

    def __init__(self, nav: list[Page]):
        self.slugs = {p.slug: i for i, p in enumerate(nav)}
        self.items = [self.item(p, "") for p in nav]
        self.current = [self.item(p, ' aria-current="page"') for p in nav]

    @staticmethod
    def item(page: Page, current: str) -> str:
        return (f'      <li><a href="{escape(page.out_name)}"{current}>'
                f'{escape(page.nav_title)}</a></li>\n')

    def html(self, page: Page) -> Markup:
        i = self.slugs.get(page.slug)
        if i is None:
            return Markup("".join(self.items))
        return Markup("".join(self.items[:i]) + self.current[i] + "".join(self.items[i + 1:]))


def page_context(page: Page, nav_links: NavLinks, charts: dict[str, Chart]) -> dict:
    """What one page's template needs beyond the site-wide values."""
    return {
        "page": page,
        "body": Markup(page.body_html),
        "nav_html": nav_links.html(page),
        "charts": [{"name": name, "id": f"chart-{name.replace('_', '-')}",
                    "title": charts[name].title, "description": charts[name].description,
                    "svg": Markup(charts[name].svg), "spec": inline_json(charts[name].vega_spec),
                    "spec_href": chart_file(page, name, "vl.json"),
                    "csv_href": chart_file(page, name, "csv"),
                    "json_href": chart_file(page, name, "json"), "table": charts[name].table}
                   for name in page.charts],
    }


def findings(data: Dataset, audit: tuple[Recomputed, ...]) -> dict:
    """The claims audit in a few numbers and lists, for the home page's summary."""
    def line(result: Recomputed) -> str:
        return (f"{data.sources[result.claim.source]['short']}: “{result.claim.as_stated}” "
                f"(stated {format_figure(result.claim, result.claim.unit)}, its figures give "
                f"{format_result(result.claim, result.low, result.high)})")
    failing = [r for r in audit if r.verdict != "consistent"]
    return {"claims": len(audit), "consistent": len(audit) - len(failing),
            "failing": len(failing),
            "sources_failing": source_names(data, (r.claim.source for r in failing)),
            "headline": [dict(text=line(r), verdict=r.verdict)
                         for r in audit if r.claim.headline]}


def source_counts(data: Dataset, items: Iterable[Figure | Claim]) -> dict[str, int]:
    """How many figures (or claims) each source contributes."""
    counts = dict.fromkeys(data.sources, 0)
    for item in items:
        counts[item.source] += 1
    return counts


def asset_files(templates_dir: Path) -> dict[str, bytes]:
    """The stylesheet, the chart loader and the Vega runtime, all shipped inside site/.

    The runtime is Vega's own browser build plus its expression interpreter and tooltip
    handler (templates/assets/vega*.js, remade by `make vega-runtime`). Specs are compiled to
    Vega at build time, so pages need neither Vega-Lite nor vega-embed: 187 KB gzipped
    against 305 KB for vl-convert's bundle of all three. vl-convert cannot make the smaller
    one: its Vega-only snippet sees Vega as null (Vega 6 has no default export).
    """
    return {f"assets/{path.name}": path.read_bytes()
            for path in sorted((templates_dir / "assets").glob("*")) if path.is_file()}


# --------------------------------------------------------------------------- writing

# GitHub Pages needs .nojekyll; it also marks a folder as one this build may replace.
SITE_MARKER = ".nojekyll"


def write_site(files: dict[str, bytes], site_dir: Path) -> None:
    """Write every file into a fresh folder beside site/, then swap it in whole.

    A file whose bytes are already in site/ is hard-linked from there rather than written
    again, so only changed outputs are rewritten. Making a new file is most of the cost of
    writing a site on many file systems: 0.25-0.6 s per 1000 files on the development
    machine, against 0.03 s to compare and link them.
    """
    parent = site_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(site_dir)
    refuse_foreign_output(site_dir)
    current = plain_files(site_dir)
    staging = parent / f".{site_dir.name}.building-{os.getpid()}"
    staging.mkdir(mode=0o755)
    try:
        folders = {staging}
        for rel_path, content in sorted(files.items()):
            out_path = inside(staging, rel_path)
            if out_path.parent not in folders:
                out_path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(out_path.parent)
            if rel_path in current and link_if_same(site_dir / rel_path, out_path, content):
                continue
            with open(out_path, "xb") as out:  # always a new file, never one shared by a link
                out.write(content)
        swap_in(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def plain_files(folder: Path) -> set[str]:
    """The site-relative paths of the regular files in folder, found without following a
    symbolic link: a link in site/ is never reused, nor anything it points to."""
    if folder.is_symlink() or not folder.is_dir():
        return set()
    found = set()
    for root, _, names in os.walk(folder):  # does not descend into linked folders
        for name in names:
            path = os.path.join(root, name)
            if not os.path.islink(path) and os.path.isfile(path):
                found.add(Path(path).relative_to(folder).as_posix())
    return found


def link_if_same(old: Path, new: Path, content: bytes) -> bool:
    """Hard-link old to new when old holds exactly content; False when it differs or the file
    system cannot link (then the caller writes the file)."""
    try:
        if old.stat().st_size != len(content) or old.read_bytes() != content:
            return False
        os.link(old, new)
    except OSError:
        return False
    return True


def refuse_foreign_output(site_dir: Path) -> None:
    """Refuse to replace a file, or a folder this build did not make (say, --out ~)."""
    if not site_dir.exists():
        return
    if not site_dir.is_dir():
        raise BuildError([Problem(display_path(site_dir), 1, 1,
                                  "the output path is a file, not a folder")])
    if any(site_dir.iterdir()) and not (site_dir / SITE_MARKER).is_file():
        raise BuildError([Problem(display_path(site_dir), 1, 1,
                                  f"refusing to replace a folder that was not built here "
                                  f"(no {SITE_MARKER}); choose an empty or new --out folder")])


def inside(root: Path, rel_path: str) -> Path:
    """Join a site-relative path to root, refusing any path that could leave it. root is a
    folder this build has just made and holds no links, so the path's own parts decide."""
    parts = PurePosixPath(rel_path).parts
    if not parts or rel_path.startswith(("/", "\\")) or ".." in parts or "\\" in rel_path:
        raise BuildError([Problem(rel_path, 1, 1, "output path escapes the site folder")])
    return root.joinpath(*parts)


def swap_in(staging: Path, site_dir: Path) -> None:
    """Replace site/ by the staging folder; the old site/ stays until the new one is whole."""
    retired = site_dir.resolve().parent / f".{site_dir.name}.old-{os.getpid()}"
    if site_dir.exists():
        os.rename(site_dir, retired)
    os.rename(staging, site_dir)
    shutil.rmtree(retired, ignore_errors=True)


def remove_leftovers(site_dir: Path) -> None:
    """Clean up after a build that was killed: restore site/ if it went missing."""
    parent = site_dir.resolve().parent
    for retired in sorted(parent.glob(f".{site_dir.name}.old-*")):
        if not site_dir.exists():
            os.rename(retired, site_dir)
        else:
            shutil.rmtree(retired, ignore_errors=True)
    for staging in sorted(parent.glob(f".{site_dir.name}.building-*")):
        shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------- live preview

LIVE = "/__live/"  # served only by `serve`, never written into site/
RELOAD_SCRIPT = """\
// Live preview: reload when a rebuild finishes; show a failed build's messages.
(function () {
  "use strict";
  var generation = new URL(document.currentScript.src).searchParams.get("g");
  function show(error) {
    var box = document.getElementById("live-error");
    if (!error) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "live-error";
      box.setAttribute("role", "alert");
      box.className = "live-error";
      document.body.prepend(box);
    }
    box.textContent = "Build failed; the page shows the last good build.\\n\\n" + error;
  }
  function poll() {
    fetch("%sstate", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (String(state.generation) !== generation) { location.reload(); return; }
        show(state.error);
        setTimeout(poll, 300);
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
""" % LIVE


@dataclasses.dataclass
class LiveState:
    """What the preview server tells open pages: which build they show, and its errors."""

    generation: int = 0
    error: str = ""


def rebuild(paths: Paths, state: LiveState) -> None:
    """Build once for the preview, reporting in the terminal and to open pages."""
    try:
        summary = build(paths)
    except BuildError as error:
        state.error = str(error)
        print(f"{error}\nbuild failed: {len(error.problems)} problem(s); still serving the "
              "last good build", file=sys.stderr, flush=True)
        return
    state.error = ""
    state.generation += 1
    print(describe_build(summary, paths.site_dir), flush=True)


def live_handler(paths: Paths, state: LiveState):
    """A request handler serving site/, with the reload script added to every page."""
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(paths.site_dir), **kwargs)

        def log_message(self, *args):
            pass

        def send_bytes(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = self.path.split("?")[0]
            if path == f"{LIVE}state":
                body = json.dumps({"generation": state.generation, "error": state.error})
                return self.send_bytes(body.encode("utf-8"), "application/json")
            if path == f"{LIVE}reload.js":
                return self.send_bytes(RELOAD_SCRIPT.encode("utf-8"), "text/javascript")
            if path.endswith("/"):
                path += "index.html"
            if path.endswith(".html"):
                return self.send_page(path)
            return super().do_GET()

        def send_page(self, path: str) -> None:
            tag = f'<script src="{LIVE}reload.js?g={state.generation}"></script>'
            file = Path(self.translate_path(path))
            if file.is_file():
                html = file.read_text(encoding="utf-8")
            else:
                html = ("<!DOCTYPE html><html lang=en><title>No build yet</title><body>"
                        "<p>No good build to show yet.</p></body></html>")
            self.send_bytes(html.replace("</body>", f"{tag}\n</body>", 1).encode("utf-8"),
                            "text/html; charset=utf-8")

    return Handler


def serve(paths: Paths, port: int) -> int:
    """Build, serve site/ on localhost, and rebuild on every change to the inputs."""
    import http.server
    from watchfiles import watch
    stop = threading.Event()

    def request_stop(signum, frame) -> None:
        """Ctrl-C (or SIGTERM) stops once the build under way is written; a second, at once."""
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    state = LiveState()
    rebuild(paths, state)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), live_handler(paths, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {display_path(paths.site_dir)} at http://127.0.0.1:"
          f"{server.server_address[1]}/ ; saving a file in data/, content/ or templates/ "
          "rebuilds it. Ctrl-C stops.", flush=True)
    try:
        for _ in watch(paths.data_dir, paths.content_dir, paths.templates_dir,
                       debounce=150, step=50, stop_event=stop):
            rebuild(paths, state)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("stopped", flush=True)
    return EXIT_OK


# --------------------------------------------------------------------------- data diff

def data_diff(paths: Paths, ref: str | None) -> str:
    """Markdown for reviewers: figures added, removed and changed, claims, pages affected."""
    import tarfile
    import tempfile
    repo = Path(git(["rev-parse", "--show-toplevel"], paths.data_dir).strip())
    ref = ref or git(["merge-base", "HEAD", "main"], repo).strip()
    data_rel = paths.data_dir.resolve().relative_to(repo)
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", ref,
                                  str(data_rel)], capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        old = load_data(Path(folder) / data_rel)
    new = load_data(paths.data_dir)
    pages = load_pages(paths.content_dir, new)
    return diff_markdown(old, new, pages, ref)


def figure_key(fig: Figure) -> tuple:
    return (fig.source, fig.role, fig.dimension, fig.group, fig.measure, fig.stat, fig.scope)


def diff_markdown(old: Dataset, new: Dataset, pages: tuple[Page, ...], ref: str) -> str:
    """Compare two data sets figure by figure and claim by claim."""
    before = {figure_key(f): f for f in old.figures}
    after = {figure_key(f): f for f in new.figures}
    changed = [(before[k], after[k]) for k in after if k in before
               and dataclasses.astuple(before[k]) != dataclasses.astuple(after[k])]
    added = [after[k] for k in after if k not in before]
    removed = [before[k] for k in before if k not in after]
    audits = recompute_claims(old), recompute_claims(new)
    claims = changed_claims(*audits)
    lines = [f"## Data changes since `{ref[:12]}`", ""]
    if not (changed or added or removed or claims):
        return "\n".join(lines + ["No figure or claim changed.", ""])
    def where(fig: Figure) -> str:
        return (f"{fig.source} · {fig.role} · {fig.dimension} · {fig.group} · "
                f"{fig.measure} · {STATS[fig.stat]}" + (f" ({fig.scope})" if fig.scope else ""))
    if changed:
        lines += [f"### Figures changed ({len(changed)})", "",
                  "| Figure | Old | New | Pages |", "|---|---|---|---|"]
        lines += [f"| {where(b)} | {format_figure(a, a.unit)} | {format_figure(b, b.unit)} | "
                  f"{pages_of(b, pages)} |" for a, b in changed]
        lines.append("")
    for title, figs in (("added", added), ("removed", removed)):
        if figs:
            lines += [f"### Figures {title} ({len(figs)})", "", "| Figure | Value | Pages |",
                      "|---|---|---|"]
            lines += [f"| {where(f)} | {format_figure(f, f.unit)} | {pages_of(f, pages)} |"
                      for f in figs]
            lines.append("")
    if claims:
        lines += [f"### Claims recomputed differently ({len(claims)})", "",
                  "| Claim | Before | After |", "|---|---|---|"]
        for a, b in claims:
            claim = (b or a).claim
            lines.append(f"| {claim.id}: “{claim.as_stated}” | {result_words(a)} | "
                         f"{result_words(b)} |")
        lines.append("")
    lines += ["### Pages affected", "",
              ", ".join(pages_affected(old, new, audits, pages)) or "none", ""]
    return "\n".join(lines)


def changed_claims(old_audit: tuple[Recomputed, ...], new_audit: tuple[Recomputed, ...]
                   ) -> list[tuple[Recomputed | None, Recomputed | None]]:
    """Claims added, removed, or recomputed to another value or verdict: (before, after)."""
    before = {r.claim.id: r for r in old_audit}
    after = {r.claim.id: r for r in new_audit}
    def state(result: Recomputed | None) -> tuple | None:
        return result and (result.verdict, round(result.low, 1), round(result.high, 1))
    return [(before.get(key), after.get(key))
            for key in [*after, *(key for key in before if key not in after)]
            if state(before.get(key)) != state(after.get(key))]


def pages_affected(old: Dataset, new: Dataset, audits: tuple, pages: tuple[Page, ...]
                   ) -> list[str]:
    """Pages whose output the change moves: a chart's table, the audit summary, a count."""
    load_altair()
    moved = {name for name in {n for p in pages for n in p.charts}
             if CHART_MAKERS[name][1](old, audits[0])[1] != CHART_MAKERS[name][1](new,
                                                                                  audits[1])[1]}
    summary_moved = findings(old, audits[0]) != findings(new, audits[1])
    counts_moved = ((source_counts(old, old.figures), source_counts(old, old.claims))
                    != (source_counts(new, new.figures), source_counts(new, new.claims)))
    return sorted(p.out_name for p in pages
                  if moved & set(p.charts) or (summary_moved and p.template == "home")
                  or (counts_moved and p.template == "sources"))


def result_words(result: Recomputed | None) -> str:
    """A recomputed claim in a few words: "+25.0%, consistent"."""
    if result is None:
        return "absent"
    return f"{format_result(result.claim, result.low, result.high)}, {result.verdict}"


def pages_of(fig: Figure, pages: tuple[Page, ...]) -> str:
    return ", ".join(p.out_name for p in pages if p.dimension == fig.dimension) or "none"


# --------------------------------------------------------------------------- editor schemas

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


# --------------------------------------------------------------------------- the pipeline

@dataclasses.dataclass(frozen=True)
class Paths:
    """Where the build reads from and writes to."""

    data_dir: Path
    content_dir: Path
    templates_dir: Path
    site_dir: Path
    cache_dir: Path | None = None  # None: render everything afresh
    jobs: int = 1  # worker processes for reading many pages and drawing charts


@dataclasses.dataclass(frozen=True)
class Summary:
    """What one build produced."""

    pages: int
    charts: int
    files: int
    seconds: float
    detail: str


def build(paths: Paths) -> Summary:
    """Build the whole site; nothing is written unless every input is good."""
    started = time.perf_counter()
    fonts_dir = paths.templates_dir / "fonts"
    check_fonts(fonts_dir)
    changed = last_changed(paths)
    inputs = input_digest(paths, changed) if paths.cache_dir else ""
    if inputs and site_is_current(paths, inputs):           # nothing changed: nothing to do
        return Summary(0, 0, 0, time.perf_counter() - started, "unchanged")
    cache = RenderCache(paths.cache_dir / "render" if paths.cache_dir else None, fonts_dir)
    data = load_data(paths.data_dir)                        # read and check data/
    pages = load_pages(paths.content_dir, data, paths.jobs) # read and check content/
    audit = recompute_claims(data)                          # recompute stated claims
    charts = make_charts((n for p in pages for n in p.charts), data, audit,  # specs + SVG
                         fonts_dir, cache, paths.jobs)
    files = render_site(pages, charts, data, audit, changed,               # HTML, CSV, JSON
                        paths.templates_dir)
    write_site(files, paths.site_dir)                       # swap in a complete site/
    record_site(paths, inputs, files)
    return Summary(len(pages), len(charts), len(files), time.perf_counter() - started,
                   f"{cache.hits} cached, {cache.misses} rendered")


# Files whose bytes decide the output, besides data/, content/ and templates/.
BUILD_INPUTS = (Path(__file__).resolve(), ROOT / "requirements.txt")


def input_digest(paths: Paths, changed: str) -> str:
    """One hash over every input file's name and bytes, and the last-changed date."""
    digest = hashlib.sha256(changed.encode("utf-8"))
    for folder in (paths.data_dir, paths.content_dir, paths.templates_dir):
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            digest.update(f"\0{path.relative_to(folder)}\0".encode("utf-8"))
            digest.update(path.read_bytes())
    for path in BUILD_INPUTS:
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def manifest_path(paths: Paths) -> Path | None:
    return paths.cache_dir / "site-manifest.json" if paths.cache_dir else None


def site_is_current(paths: Paths, inputs: str) -> bool:
    """Whether site/ is exactly what these inputs built last time, untouched since."""
    manifest = manifest_path(paths)
    if not manifest or not manifest.is_file() or not paths.site_dir.is_dir():
        return False
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    if recorded.get("inputs") != inputs or recorded.get("site") != str(paths.site_dir.resolve()):
        return False
    present = {str(p.relative_to(paths.site_dir)) for p in paths.site_dir.rglob("*")
               if p.is_file()}
    return present == set(recorded["files"]) and all(
        file_unchanged(paths.site_dir / name, *facts)
        for name, facts in recorded["files"].items())


def file_unchanged(path: Path, sha: str, size: int, mtime_ns: int) -> bool:
    """Same size and time as recorded means untouched (as make assumes); else compare bytes."""
    stat = path.stat()
    if (stat.st_size, stat.st_mtime_ns) == (size, mtime_ns):
        return True
    return stat.st_size == size and hashlib.sha256(path.read_bytes()).hexdigest() == sha


def record_site(paths: Paths, inputs: str, files: dict[str, bytes]) -> None:
    """Remember which inputs built site/ and the hash of every file written."""
    manifest = manifest_path(paths)
    if not manifest:
        return
    manifest.parent.mkdir(parents=True, exist_ok=True)
    facts = {}
    for name, content in sorted(files.items()):
        stat = (paths.site_dir / name).stat()
        facts[name] = [hashlib.sha256(content).hexdigest(), stat.st_size, stat.st_mtime_ns]
    manifest.write_text(json.dumps({"inputs": inputs, "site": str(paths.site_dir.resolve()),
                                    "files": facts}, indent=1), encoding="utf-8")


def last_changed(paths: Paths) -> str:
    """The date the site's inputs last changed: SOURCE_DATE_EPOCH, else their last commit.

    Never the wall clock, so the same inputs give the same bytes. Inputs with changes not yet
    committed are marked as such, so a site built from them is seen to be stale once they
    are committed.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))
    folders = [str(Path(f).resolve()) for f in (paths.data_dir, paths.content_dir,
                                                 paths.templates_dir)]
    try:
        date = git(["log", "-1", "--format=%cs", "--", *folders], paths.data_dir).strip()
        dirty = git(["status", "--porcelain", "--", *folders], paths.data_dir).strip()
    except (OSError, subprocess.CalledProcessError):
        return "not recorded"
    if not date:
        return "not recorded"
    return f"{date} (with uncommitted changes)" if dirty else date


def git(args: list[str], where: Path) -> str:
    """Run git in the repository that holds `where`."""
    return subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True,
                          check=True).stdout


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the ML-vs-SWE pay site from data/ and content/.",
        epilog="commands:\n"
               "  build          build site/ (the default)\n"
               "  serve          build, serve on localhost, rebuild and reload on every save\n"
               "  diff [REF]     print the data changes since REF (default: the merge base\n"
               "                 with main) as Markdown: figures, claim verdicts, pages\n"
               "  schemas        write the JSON Schemas editors use to schemas/\n\n"
               "exit status: 0 done; 1 an input has mistakes (each printed as "
               "path:line:col: message;\n  site/ left as it was); 2 bad command line; "
               "130 interrupted (Ctrl-C).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="build",
                        choices=["build", "serve", "diff", "schemas"], help="what to do")
    parser.add_argument("ref", nargs="?", help="for diff: the git ref to compare with")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data folder")
    parser.add_argument("--content", type=Path, default=ROOT / "content",
                        help="Markdown pages folder")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates",
                        help="Jinja2 templates and assets folder")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="output folder")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache",
                        help="cache folder for rendered charts (default: .cache)")
    parser.add_argument("--no-cache", action="store_true", help="render everything afresh")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes for reading many pages and drawing charts "
                             "(default: one per core)")
    parser.add_argument("--port", type=int, default=8000, help="for serve: the port")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the site and report the outcome."""
    args = parse_args(argv)
    paths = Paths(args.data, args.content, args.templates, args.out,
                  None if args.no_cache else args.cache, max(1, args.jobs))
    try:
        if args.command == "serve":
            return serve(paths, args.port)
        if args.command == "diff":
            print(data_diff(paths, args.ref), end="")
            return EXIT_OK
        if args.command == "schemas":
            write_schemas(ROOT / "schemas")
            return EXIT_OK
        summary = build(paths)
    except BuildError as error:
        print(error, file=sys.stderr)
        print(f"build failed: {len(error.problems)} problem(s); "
              f"{display_path(args.out)} was not changed", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except KeyboardInterrupt:
        # site/ is the old site or the new one whole; a build cut short mid-swap is put
        # right by the next one (remove_leftovers).
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    if not args.quiet:
        print(describe_build(summary, args.out))
    return EXIT_OK


def describe_build(summary: Summary, out: Path) -> str:
    """One line saying what a build did."""
    if summary.detail == "unchanged":
        return (f"{display_path(out)} is up to date: no input changed "
                f"({summary.seconds:.2f} s)")
    return (f"built {summary.pages} pages, {summary.charts} charts ({summary.detail}), "
            f"{summary.files} files into {display_path(out)} in {summary.seconds:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
