"""Stage 1: reading YAML safely, with the line and column of every value."""

from pathlib import Path

import pytest

from conftest import ROOT
from paysite import errors, yamlfile


def parse(text: str, first_line: int = 1) -> yamlfile.Located:
    return yamlfile.parse_yaml(text, Path("x.yaml"), first_line)


def error_of(text: str) -> str:
    with pytest.raises(errors.BuildError) as caught:
        parse(text)
    return str(caught.value)


def test_marks_give_line_and_column_of_every_value():
    doc = parse("a: 1\nitems:\n  - {b: 2, c: three}\n")
    assert doc.value == {"a": 1, "items": [{"b": 2, "c": "three"}]}
    assert doc.where(("a",)) == (1, 4)
    assert doc.where(("items", 0, "c")) == (3, 15)


def test_missing_key_falls_back_to_its_parent():
    doc = parse("items:\n  - {b: 2}\n")
    assert doc.where(("items", 0, "nope")) == (2, 5)


def test_front_matter_lines_are_offset():
    doc = parse("title: x\n", first_line=2)
    assert doc.where(("title",)) == (2, 8)


def test_dates_stay_text():
    assert parse("date: 2026-05-01\n").value == {"date": "2026-05-01"}


@pytest.mark.parametrize("text, message", [
    ("a: 1\na: 2\n", "x.yaml:2:1: YAML: duplicate key 'a'"),
    ("a: &x [1]\nb: *x\n", "x.yaml:2:4: YAML: aliases (*name) are not allowed in data files"),
    ("a: !!python/object:os.system {}\n",
     "x.yaml:1:4: YAML: the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed"),
    ("a: !!set {x}\n", "x.yaml:1:4: YAML: the tag 'tag:yaml.org,2002:set' is not allowed"),
    ("a:\n\t- 1\n", "x.yaml:2:1: YAML: found character '\\t' that cannot start any token "
                    "(while scanning for the next token)"),
    ("a: [1, 2\n", "x.yaml:1:4: YAML: the list opened here with '[': expected ',' or ']', "
                   "but got '<stream end>' at line 2, column 1"),
    ("a: {b: 1\nc: 2\n", "x.yaml:1:4: YAML: the mapping opened here with '{': expected ',' "
                        "or '}', but got ':' at line 2, column 2"),
    ('a: "open\nb: 1\nc: 2\n', "x.yaml:1:4: YAML: the quoted text opened here: found "
                             "unexpected end of stream at line 4, column 1"),
    ("[1]: x\n", "x.yaml:1:1: YAML: mapping keys must be plain text"),
])
def test_bad_yaml_is_one_located_message(text, message):
    assert error_of(text) == message


def test_billion_laughs_stops_at_the_first_alias():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    assert "aliases (*name) are not allowed" in error_of(bomb)


def test_invalid_utf8_names_line_and_column(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(errors.BuildError) as caught:
        yamlfile.load_yaml_file(path)
    assert str(caught.value).endswith(
        "bad.yaml:2:7: not valid UTF-8 (byte 0xe9); save the file as UTF-8")


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 1\n".encode("utf-8"))
    assert yamlfile.load_yaml_file(path).value == {"a": 1}


@pytest.mark.parametrize("path", sorted((ROOT / "data").glob("*.yaml")) + [None],
                         ids=lambda p: p.name if p else "unicode")
def test_fast_and_locating_loaders_agree(path):
    """libyaml's parser is used when a document is good: same values, same positions."""
    text = path.read_text(encoding="utf-8") if path else (
        "a: {x: \"ééé€€\", y: 5, z: [1, 2]}\nb: 中文\nc: 2026-05-01\n")
    fast = yamlfile.compose(yamlfile.FastLoader, text, Path("x.yaml"), 1, set())
    slow = yamlfile.compose(yamlfile.LocatingLoader, text, Path("x.yaml"), 1, None)
    assert (fast.value, fast.marks, fast.key_marks) == (slow.value, slow.marks, slow.key_marks)


def test_an_alias_sends_the_document_to_the_locating_loader():
    with pytest.raises(yamlfile.AliasFound):
        yamlfile.compose(yamlfile.FastLoader, "a: &x [1]\nb: *x\n", Path("x.yaml"), 1, set())
    assert "aliases (*name) are not allowed" in error_of("a: &x [1]\nb: *x\n")
