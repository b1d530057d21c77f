"""YAML with locations: parse a document safely and keep the line and column of every value.

Good documents go through libyaml (C, much faster); any problem is parsed again by
the pure-Python `LocatingLoader`, whose messages say exactly where and what. Aliases, tags
and duplicate keys are refused; dates stay strings.
"""

from __future__ import annotations

import dataclasses
import math
import re
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
    """libyaml's parser (C, much faster), with LocatingLoader's resolvers.

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
        raise BuildError([layout_problem(error, text, path, first_line)
                          or yaml_problem(error, path, first_line)]) from error
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


# Parser messages that mean the layout of lines went wrong, rather than a value.
LAYOUT_ERRORS = ("expected <block end>", "mapping values are not allowed here",
                 "did not find expected", "expected ',' or")
# A quote that opens a value: after "key:", "- ", "{", "[" or ",".
OPENING_QUOTE = re.compile(r"""(?:^|[:\-{\[,]\s*)(["'])""")


def layout_problem(error: yaml.MarkedYAMLError, text: str, path: Path,
                   first_line: int) -> Problem | None:
    """Word the two layout mistakes editors make, which PyYAML reports in its own terms and
    often lines later: a quote left open, and a line indented unlike the items above it."""
    mark = error.problem_mark or error.context_mark
    if mark is None or not any(words in (error.problem or "") for words in LAYOUT_ERRORS):
        return None
    lines = text.split("\n")
    stopped = f"line {mark.line + first_line}, column {mark.column + 1}"
    for number, line in enumerate(lines[:mark.line + 1]):
        if column := unclosed_quote(line):
            return Problem(display_path(path), number + first_line, column,
                           f"YAML: a quote opened on line {number + first_line} is not closed "
                           f"on that line (the parser read on to {stopped})")
    line = lines[mark.line] if mark.line < len(lines) else ""
    if above := sibling_indent(lines, mark.line):
        here = len(line) - len(line.lstrip(" "))
        return Problem(display_path(path), mark.line + first_line, here + 1,
                       f"YAML: this line is indented {here} space{'s' * (here != 1)}; the "
                       f"{above[1]} above it use{'s' * (above[1] == 'line')} {above[0]}")
    return None


def unclosed_quote(line: str) -> int | None:
    """The 1-based column of a quote that opens a value on this line and is not closed on it."""
    position = 0
    while match := OPENING_QUOTE.search(line, position):
        close = closing_quote(line, match.end(), match.group(1))
        if close is None:
            return match.end()
        position = close + 1
    return None


def closing_quote(line: str, start: int, quote: str) -> int | None:
    """Where the quoted text starting at `start` ends: a backslash escapes inside "…", and
    '' stands for one quote inside '…'."""
    index = start
    while index < len(line):
        if quote == '"' and line[index] == "\\":
            index += 2
        elif line[index] == quote and quote == "'" and line[index + 1:index + 2] == "'":
            index += 2
        elif line[index] == quote:
            return index
        else:
            index += 1
    return None


def sibling_indent(lines: list[str], index: int) -> tuple[int, str] | None:
    """The indent of the nearest line above of the same kind (a list item, or a key), and
    what to call it, when it differs from this line's."""
    line = lines[index] if index < len(lines) else ""
    here, item = len(line) - len(line.lstrip(" ")), line.lstrip(" ").startswith("- ")
    for above in reversed(lines[:index]):
        stripped = above.lstrip(" ")
        if not stripped or stripped.startswith("#") or stripped.startswith("- ") != item:
            continue
        indent = len(above) - len(stripped)
        if indent != here and (item or abs(indent - here) < 4):
            return indent, "items" if item else "line"
        return None
    return None


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
        for index, (key_node, item_node) in enumerate(node.value):
            key = scalar_key(loader, key_node, node.value[index - 1][1] if index else None)
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


def scalar_key(loader, key_node, previous_value=None) -> str:
    """Return a mapping key, which must be a plain string."""
    if not isinstance(key_node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(
            None, None, "mapping keys must be plain text", key_node.start_mark)
    key = loader.construct_object(key_node)
    if (isinstance(previous_value, yaml.ScalarNode) and key_node.value.isdigit()
            and previous_value.value.isdigit() and previous_value.style is None):
        written = previous_value.value + key_node.value
        raise yaml.constructor.ConstructorError(
            None, None, f"{previous_value.value},{key_node.value} reads as two fields (inside "
            f"{{ }} a comma ends one): write {written} (digits only, no thousands separator)",
            previous_value.start_mark)
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
