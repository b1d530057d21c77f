"""YAML with locations: parse a document safely and keep the line and column of every value.

Good documents go through libyaml (about 15 times faster); any problem is parsed again by
the pure-Python `LocatingLoader`, whose messages say exactly where and what. Aliases, tags
and duplicate keys are refused; dates stay strings.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import yaml

from .errors import BuildError, Problem, display_path


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
        raise BuildError([yaml_problem(error, path, first_line)]) from error
    except RecursionError as error:
        raise BuildError([Problem(display_path(path), first_line, 1,
                                  "YAML: nested too deeply")]) from error


# Where PyYAML names the bracket, brace or quote a problem lies inside, the message is located
# at that opening, and says where the parser stopped: an unclosed one is found where it began.
OPENINGS = {"while parsing a flow sequence": "the list opened here with '['",
            "while parsing a flow mapping": "the mapping opened here with '{'",
            "while scanning a quoted scalar": "the quoted text opened here"}


def yaml_problem(error: yaml.MarkedYAMLError, path: Path, first_line: int) -> Problem:
    """Word a parser error, located where it began when an opening bracket or quote is known."""
    problem, context = error.problem_mark, error.context_mark
    message = error.problem or str(error)
    if error.context in OPENINGS and context and problem:
        where = f"line {problem.line + first_line}, column {problem.column + 1}"
        return Problem(display_path(path), context.line + first_line, context.column + 1,
                       f"YAML: {OPENINGS[error.context]}: {message} at {where}")
    if error.context and error.problem:
        message = f"{error.problem} ({error.context})"
    mark = problem or context
    return Problem(display_path(path), mark.line + first_line, mark.column + 1,
                   f"YAML: {message}")


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
    value = loader.construct_object(node)
    if isinstance(value, float) and not math.isfinite(value):
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a number a source can state: write the figure "
            "in digits", node.start_mark)
    return value


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
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[:error.start]
        line, column = before.count(b"\n") + 1, error.start - (before.rfind(b"\n") + 1) + 1
        raise BuildError([Problem(display_path(path), line, column,
                                  f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); "
                                  "save the file as UTF-8")]) from error
    # Windows (CRLF) and old Mac (CR) line ends read as Unix ones: the output never differs.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml_file(path: Path) -> Located:
    """Read and parse one YAML file."""
    return parse_yaml(read_text(path), path)
