"""A corpus of broken inputs an editor (or a hostile pull request) could send.

Each case breaks one file of the small site and expects: exit status 1, exactly the located
message given here (path:line:col: ...), no traceback, and the published site/ unchanged.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

import build
from conftest import run_build, snapshot
from paysite import charts, errors, pipeline, write

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}]\n" for i in range(8))

PAGE = "---\ntitle: T\nsummary: S\norder: 5\n{extra}---\nBody.\n"

# (case, file, old text or None to write the whole file, new text or bytes, message)
CORPUS = [
    ("yaml syntax error", "data/cities.yaml", "{id: nyc, name: New York}",
     "{id: nyc, name: [New York}",
     "data/cities.yaml:2:21: YAML: the list opened here with '[': expected ',' or ']', but got "
     "'}' at line 2, column 30"),
    ("tab indentation", "data/cities.yaml", "  - {id: nyc", "\t- {id: nyc",
     "data/cities.yaml:2:1: YAML: found character '\\t' that cannot start any token "
     "(while scanning for the next token)"),
    ("duplicate key", "data/cities.yaml", "{id: nyc, name: New York}",
     "{id: nyc, name: New York, name: NYC}",
     "data/cities.yaml:2:31: YAML: duplicate key 'name'"),
    ("python object tag", "data/cities.yaml", "name: New York",
     "name: !!python/object/apply:os.system [echo pwned]",
     "data/cities.yaml:2:21: YAML: the tag 'tag:yaml.org,2002:python/object/apply:os.system' "
     "is not allowed"),
    ("custom tag", "data/cities.yaml", "name: New York", "name: !secret New York",
     "data/cities.yaml:2:21: YAML: the tag '!secret' is not allowed"),
    ("alias", "data/cities.yaml", None, "cities:\n  - &c {id: nyc, name: New York}\n  - *c\n",
     "data/cities.yaml:3:5: YAML: aliases (*name) are not allowed in data files"),
    ("billion laughs", "data/cities.yaml", None, BILLION_LAUGHS,
     "data/cities.yaml:2:8: YAML: aliases (*name) are not allowed in data files"),
    ("invalid utf-8", "data/cities.yaml", None, b"cities:\n  - {id: nyc, name: New \xff}\n",
     "data/cities.yaml:2:25: not valid UTF-8 (byte 0xff); save the file as UTF-8"),
    ("empty data file", "data/cities.yaml", None, "",
     "data/cities.yaml:1:1: expected a mapping (key: value), got nothing (the value or the "
     "file is empty)"),
    ("list instead of mapping", "data/cities.yaml", None, "- {id: nyc, name: New York}\n",
     "data/cities.yaml:1:1: expected a mapping (key: value), got a list [{'id': 'nyc', "
     "'name': 'New York'}]"),
    ("updated is not a date", "data/site.yaml", "updated: 2026-01-01", "updated: 2026-02-30",
     "data/site.yaml:2:10: updated: '2026-02-30' is not a date of the calendar"),
    ("updated is not written as a date", "data/site.yaml", "updated: 2026-01-01",
     "updated: 1 Jan 2026", "data/site.yaml:2:10: updated: '1 Jan 2026' does not have the "
     "expected form (pattern ^\\d{4}-\\d{2}-\\d{2}$)"),
    ("text for a number", "data/experience.yaml", "value: 150000", "value: lots",
     "data/experience.yaml:4:89: value: expected a number, got text 'lots'"),
    ("thousands as K", "data/experience.yaml", "value: 150000", "value: 150K",
     "data/experience.yaml:4:89: value: expected a number, got text '150K'; write 150000 "
     "(digits only: the unit comes from the measure)"),
    ("thousands with commas", "data/experience.yaml", "value: 150000", "value: 150,000",
     "data/experience.yaml:4:89: YAML: 150,000 reads as two fields (inside { } a comma ends "
     "one): write 150000 (digits only, no thousands separator)"),
    ("a quote left open", "data/experience.yaml", 'as_stated: "$150,000"}',
     'as_stated: "$150,000}',
     "data/experience.yaml:4:108: YAML: a quote opened on line 4 is not closed on that line "
     "(the parser read on to line 5, column 109)"),
    ("a list item indented unlike the items above", "data/cities.yaml", "  - {id: nyc",
     "  - {id: la, name: Los Angeles}\n   - {id: nyc",
     "data/cities.yaml:3:4: YAML: this line is indented 3 spaces; the items above it use 2"),
    ("a key indented unlike the line above", "data/site.yaml", "updated: 2026-01-01",
     " updated: 2026-01-01",
     "data/site.yaml:2:2: YAML: this line is indented 1 space; the line above it uses 0"),
    ("a sentence whose tied verdict moved", "content/experience.md",
     "charts: [pay_by_level, premium_by_level]\n", "charts: [pay_by_level, premium_by_level]"
     "\nties:\n  - {says: Some, claim: alpha-junior, verdict: contradicted}\n",
     "content/experience.md:10:1: 'Some' gives the verdict 'contradicted', but the audit now "
     "finds alpha-junior 'consistent': bring the sentence in line"),
    ("a tie with half a form", "content/experience.md",
     "charts: [pay_by_level, premium_by_level]\n", "charts: [pay_by_level, premium_by_level]"
     "\nties:\n  - {says: Some, chart: pay_by_level}\n",
     "content/experience.md:8:5: a tie gives says: and either chart:, column: and values:, or "
     "claim: and verdict: (and against:), or rule:"),
    ("number for a list", "data/experience.yaml", "value: 150000,", "value: 150000, "
     "qualifiers: 3,",
     "data/experience.yaml:4:109: qualifiers: expected a list, got a number 3"),
    ("unknown key", "data/cities.yaml", "name: New York", "name: New York, mayor: x",
     "data/cities.yaml:2:31: unknown field 'mayor' (allowed: id, name, names)"),
    ("unknown source", "data/experience.yaml", "source: alpha, role: mle, group: Junior",
     "source: omega, role: mle, group: Junior",
     "data/experience.yaml:4:14: unknown source 'omega' (known: alpha, beta)"),
    ("unknown level", "data/experience.yaml", "role: mle, group: Junior", "role: mle, group: L9",
     "data/experience.yaml:4:39: unknown level label 'L9' for source 'alpha' (levels.yaml "
     "maps: Junior, Senior)"),
    ("unknown role", "data/experience.yaml", "role: mle, group: Junior",
     "role: cto, group: Junior",
     "data/experience.yaml:4:27: unknown role 'cto' (known: mle, swe)"),
    ("unknown city", "data/location.yaml", "role: mle, group: nyc", "role: mle, group: atlantis",
     "data/location.yaml:4:39: unknown city 'atlantis' (known: nyc)"),
    ("low above high", "data/experience.yaml", "low: 200000, high: 300000",
     "low: 300000, high: 200000",
     "data/experience.yaml:6:81: low (300,000) is above high (200,000)"),
    ("negative pay", "data/experience.yaml", "value: 150000", "value: -150000",
     "data/experience.yaml:4:89: value: -150,000 is negative"),
    ("absurd pay", "data/experience.yaml", "value: 150000", "value: 1500000000",
     "data/experience.yaml:4:89: value: 1,500,000,000 is implausibly large for usd_per_year "
     "(at most 10,000,000)"),
    ("missing required field", "data/experience.yaml", ', as_stated: "$150,000"}', "}",
     "data/experience.yaml:4:5: missing required field 'as_stated'"),
    ("duplicate record", "data/location.yaml", 'as_stated: "$260,000"}\n',
     'as_stated: "$260,000"}\n  - {source: alpha, role: mle, group: nyc, measure: total_comp, '
     'stat: median, value: 1, as_stated: "$1"}\n',
     "data/location.yaml:5:5: duplicate record: same source, role, group, measure, stat and "
     "scope as line 4"),
    ("unknown measure", "data/experience.yaml", "measure: total_comp, stat: median, value: 150000",
     "measure: bonus, stat: median, value: 150000",
     "data/experience.yaml:4:56: unknown measure 'bonus' (known: remote_share, total_comp)"),
    ("unknown claim formula", "data/claims.yaml", "premium: ml_over_swe,",
     "formula: ratio, a: {role: mle}, b: {role: swe},",
     "data/claims.yaml:2:121: formula: 'ratio' is not one of: difference, dip, premium, share"),
    ("non-text key", "data/cities.yaml", "{id: nyc, name: New York}",
     "{id: nyc, name: New York, 7: x}",
     "data/cities.yaml:2:31: YAML: mapping key 7 must be text"),
    ("stray file in data", "data/notes.txt", None, "remember the milk\n",
     "data/notes.txt:1:1: unexpected file in data/ (data files end in .yaml)"),
    ("no front matter", "content/extra.md", None, "# Just a heading\n",
     "content/extra.md:1:1: a page must start with front matter between two '---' lines"),
    ("front matter yaml error", "content/extra.md", None,
     "---\ntitle: [oops\nsummary: S\norder: 5\n---\n",
     "content/extra.md:2:8: YAML: the list opened here with '[': expected ',' or ']', but got "
     "':' at line 3, column 8"),
    ("front matter not a mapping", "content/extra.md", None, "---\n- a\n- b\n---\nBody\n",
     "content/extra.md:2:1: front matter must be a mapping (key: value)"),
    ("front matter missing field", "content/extra.md", None, "---\ntitle: T\nsummary: S\n---\nBody\n",
     "content/extra.md:2:1: missing required field 'order'"),
    ("order is text", "content/extra.md", None, PAGE.replace("order: 5", "order: five").format(
        extra=""), "content/extra.md:4:8: order: expected integer, got text 'five'"),
    ("duplicate slug", "content/extra.md", None, PAGE.format(extra="slug: experience\n"),
     "content/extra.md:1:1: slug 'experience' is already used by content/experience.md"),
    ("empty slug", "content/extra.md", None, PAGE.format(extra="slug: ''\n"),
     "content/extra.md:5:7: slug: '' does not have the expected form (pattern "
     "^[a-z0-9][a-z0-9_-]*$)"),
    ("slug with a slash", "content/extra.md", None, PAGE.format(extra="slug: a/b\n"),
     "content/extra.md:5:7: slug: 'a/b' does not have the expected form (pattern "
     "^[a-z0-9][a-z0-9_-]*$)"),
    ("slug escaping site", "content/extra.md", None, PAGE.format(extra="slug: ../../etc/x\n"),
     "content/extra.md:5:7: slug: '../../etc/x' does not have the expected form (pattern "
     "^[a-z0-9][a-z0-9_-]*$)"),
    ("file name not a slug", "content/Bad Name.md", None, PAGE.format(extra=""),
     "content/Bad Name.md:1:1: file name 'Bad Name' is not a valid page slug: use lower-case "
     "letters, digits, - and _"),
    ("unknown chart", "content/extra.md", None, PAGE.format(extra="charts: [pie_chart]\n"),
     "content/extra.md:5:10: unknown chart 'pie_chart' (known: "
     f"{', '.join(sorted(charts.KINDS))})"),
    ("unknown dimension", "content/extra.md", None, PAGE.format(extra="dimension: moon\n"),
     "content/extra.md:5:12: unknown dimension 'moon' (known: experience, location)"),
    ("role not named by a source", "data/roles.yaml", "names: {alpha: MLE, beta: ML}",
     "names: {alpha: MLE}", "data/roles.yaml:2:34: role 'mle' has no name for source 'beta', "
     "whose figures are about it: add 'beta: <the source's word for the role>' under names"),
    ("money written as text", "data/experience.yaml", "value: 150000", 'value: "$250K"',
     "data/experience.yaml:4:89: value: expected a number, got text '$250K'; write 250000 "
     "(digits only: the unit comes from the measure)"),
    ("percentage written as text", "data/claims.yaml", "value: 25,", 'value: "25%",',
     "data/claims.yaml:2:141: value: expected a number, got text '25%'; write 25 (digits only: "
     "the unit, percent, comes from the measure)"),
    ("misspelt statistic", "data/experience.yaml", "stat: median, value: 150000",
     "stat: medain, value: 150000", "data/experience.yaml:4:74: stat: 'medain' is not one of: "
     "avg_range, count, estimate, mean, median, p25, p25_p75, p75, range, rank, share, top; "
     "did you mean 'median'?"),
    ("misspelt level label", "data/experience.yaml", "group: Junior, measure: total_comp, "
     "stat: median, value: 150000", "group: Junor, measure: total_comp, stat: median, value: "
     "150000", "data/experience.yaml:4:39: unknown level label 'Junor' for source 'alpha' "
     "(levels.yaml maps: Junior, Senior); did you mean 'Junior'?"),
    ("misspelt city", "data/location.yaml", "role: mle, group: nyc", "role: mle, group: nyk",
     "data/location.yaml:4:39: unknown city 'nyk' (known: nyc); did you mean 'nyc'?"),
    ("headline on a share claim", "data/claims.yaml", "premium: ml_over_swe,",
     "headline: true, formula: share, a: {role: mle}, b: {role: swe},",
     "data/claims.yaml:2:122: headline: true marks a source's headline premium of one role "
     "over the other; this is a share claim"),
    ("chart with no figures of its kind", "content/extra.md", None,
     PAGE.format(extra="charts: [top_skills]\n"), "content/extra.md:5:10: chart "
     "'top_skills': it draws the figures of 'skills', and no file of data/ says `dimension: "
     "skills`"),
    ("not a number", "data/experience.yaml", "value: 150000", "value: .nan",
     "data/experience.yaml:4:89: YAML: '.nan' is not a number a source can state: write the "
     "figure in digits"),
    ("infinity", "data/experience.yaml", "value: 150000", "value: .inf",
     "data/experience.yaml:4:89: YAML: '.inf' is not a number a source can state: write the "
     "figure in digits"),
    ("not a number in a claim", "data/claims.yaml", "value: 25,", "value: -.Inf,",
     "data/claims.yaml:2:141: YAML: '-.Inf' is not a number a source can state: write the "
     "figure in digits"),
    ("link to no page", "content/experience.md", "Some *commentary*.",
     "Some [notes](nope.html).", "content/experience.md:8:14: link to 'nope.html', which "
     "the build does not make; did you mean 'index.html'?"),
    ("link to a misspelt page", "content/experience.md", "Some *commentary*.",
     "See [home](indx.html).", "content/experience.md:8:12: link to 'indx.html', which the "
     "build does not make; did you mean 'index.html'?"),
    ("link to a missing anchor", "content/experience.md", "Some *commentary*.",
     "See [it](experience.html#pay-by-levle).", "content/experience.md:8:10: link to "
     "'#pay-by-levle', which experience.html does not have; did you mean "
     "'#chart-pay-by-level'?"),
    ("link to a missing download", "content/experience.md", "Some *commentary*.",
     "Get [it](downloads/figures.xlsx).", "content/experience.md:8:10: link to "
     "'downloads/figures.xlsx', which the build does not make; did you mean "
     "'downloads/figures.csv'?"),
    ("image", "content/experience.md", "Some *commentary*.", "![A chart](chart.png)",
     "content/experience.md:8:12: images are not published (the sanitiser would drop this "
     "one); describe it in words or link to it"),
    ("javascript link", "content/experience.md", "Some *commentary*.",
     "[Click](javascript:alert(1))", "content/experience.md:8:9: a javascript: link is not "
     "allowed (only http, https and mailto, or a page of this site)"),
    ("data link in a reference", "content/experience.md", "Some *commentary*.",
     "See [x].\n\n[x]: data:text/html,hi", "content/experience.md:10:6: a data: link is not "
     "allowed (only http, https and mailto, or a page of this site)"),
    ("unknown template", "content/extra.md", None, PAGE.format(extra="template: ../evil\n"),
     "content/extra.md:5:11: template: '../evil' is not one of: page, home, claims, sources, "
     "error"),
]


def break_input(root: Path, file: str, old: str | None, new: str | bytes) -> None:
    path = root / file
    if old is None:
        path.write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))
        return
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def published(small_site):
    """A published site/ (made by this build tool) that no failed build may touch."""
    site = small_site.site_dir
    site.mkdir()
    (site / write.SITE_MARKER).write_bytes(b"")
    (site / "index.html").write_text("<!DOCTYPE html><title>published</title>\n")
    return small_site


def run_main(paths: pipeline.Paths, capsys) -> tuple[int, str, str]:
    code = build.main(["--data", str(paths.data_dir), "--content", str(paths.content_dir),
                       "--templates", str(paths.templates_dir), "--out", str(paths.site_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("case, file, old, new, message", CORPUS, ids=[c[0] for c in CORPUS])
def test_broken_input_gets_one_clear_message(published, capsys, case, file, old, new, message):
    before = snapshot(published.site_dir)
    break_input(Path("."), file, old, new)
    code, out, err = run_main(published, capsys)
    assert code == 1
    assert err.splitlines()[0] == message
    assert "Traceback" not in err and out == ""
    assert err.splitlines()[-1].startswith("build failed: 1 problem(s)")
    assert snapshot(published.site_dir) == before


def test_alias_bomb_ends_at_once_in_bounded_memory(published, capsys):
    (published.data_dir / "cities.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    tracemalloc.start()
    code, _, err = run_main(published, capsys)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert code == 1 and "aliases (*name) are not allowed" in err
    # Expanded, the document would hold 9**9 (387 million) strings: it is refused before.
    assert peak < 50_000_000


def test_byte_order_mark_is_accepted_and_changes_nothing(published, capsys):
    assert run_main(published, capsys)[0] == 0
    plain = snapshot(published.site_dir)
    path = published.data_dir / "cities.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run_main(published, capsys)[0] == 0
    assert snapshot(published.site_dir) == plain


def test_template_syntax_in_data_and_markdown_appears_literally(published, capsys):
    break_input(Path("."), "data/sources.yaml", "short: Alpha survey",
                "short: \"Alpha {{ 7*7 }} {% raw %}\"")
    break_input(Path("."), "content/experience.md", "Some *commentary*.",
                "Some {% if true %}x{% endif %} *commentary*.")
    code, _, err = run_main(published, capsys)
    assert code == 0, err
    html = (published.site_dir / "experience.html").read_text(encoding="utf-8")
    assert "Some {% if true %}x{% endif %}" in html
    assert "Alpha {{ 7*7 }} {% raw %}" in html
    # Evaluated, {{ 7*7 }} would print 49 after "Alpha" (the charts' SVGs hold other 49s)
    assert "Alpha 49" not in html and "Alpha  " not in html


def test_expressions_in_markdown_are_refused_never_evaluated(published, capsys):
    before = snapshot(published.site_dir)
    break_input(Path("."), "content/experience.md", "Some *commentary*.",
                "Some {{ 7*7 }} *commentary*.")
    code, _, err = run_main(published, capsys)
    assert code == 1 and "49" not in err
    assert err.startswith("content/experience.md:8:6: unknown placeholder '{{ 7*7 }}'")
    assert snapshot(published.site_dir) == before


@pytest.mark.parametrize("folder, name", [("content", "outside.md"), ("data", "outside.yaml")])
def test_a_link_leading_out_of_the_project_is_refused_unread(published, capsys, tmp_path,
                                                              folder, name):
    secret = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    secret.write_text("---\ntitle: secret\n---\n", encoding="utf-8")
    before = snapshot(published.site_dir)
    (Path(folder) / name).symlink_to(secret)
    code, _, err = run_main(published, capsys)
    assert code == 1 and "secret" not in err.replace(str(secret), "")
    assert err.startswith(f"{folder}/{name}:1:1: is a link to {secret}, outside {folder}/; "
                          "copy the file here instead of linking it")
    assert snapshot(published.site_dir) == before


def test_windows_and_old_mac_line_ends_change_nothing(published, capsys):
    assert run_main(published, capsys)[0] == 0
    plain = snapshot(published.site_dir)
    for path in [*Path("content").glob("*.md"), *Path("data").glob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        ends = "\r" if path.name.startswith("e") else "\r\n"
        path.write_bytes(("\ufeff" + text.replace("\n", ends)).encode("utf-8"))
    code, _, err = run_main(published, capsys)
    assert code == 0, err
    assert snapshot(published.site_dir) == plain


def test_a_damaged_manifest_or_cache_entry_is_rebuilt_not_fatal(small_site, tmp_path):
    cache = tmp_path / "cache"
    assert run_build(small_site, "--cache", str(cache)).returncode == 0
    expected = snapshot(small_site.site_dir)
    (cache / "site-manifest.json").write_text('{"inputs": "x", "files": {"a": [', "utf-8")
    drawings = sorted(entry for entry in (cache / "svg").rglob("*") if entry.is_file())
    for entry in drawings:
        entry.write_bytes(entry.read_bytes()[:100])  # cut short, as by a killed build
    result = run_build(small_site, "--cache", str(cache))
    assert result.returncode == 0, result.stderr
    assert snapshot(small_site.site_dir) == expected
    assert len(drawings) == 2 and all(len(entry.read_bytes()) > 100 for entry in drawings)
    assert run_build(small_site, "--cache", str(cache)).stdout.startswith("site is up to date")


@pytest.mark.parametrize("number", [float("nan"), float("inf"), -float("inf")])
def test_writers_refuse_numbers_that_are_not_finite(number):
    from paysite import serialise, text
    for writer in (lambda: serialise.spec_json({"x": number}),
                  lambda: serialise.inline_json({"x": number}),
                  lambda: serialise.csv_text(["x"], [[number]]),
                  lambda: text.format_number(number, "usd_per_year")):
        with pytest.raises(ValueError):
            writer()


def test_a_rank_given_as_a_range_is_refused(published, capsys):
    break_input(Path("."), "data/measures.yaml", "measures:\n",
                "measures:\n  - {id: metro_rank, name: Metro rank, unit: rank}\n")
    break_input(Path("."), "data/location.yaml", "observations:\n", "observations:\n"
                "  - {source: alpha, role: mle, group: nyc, measure: metro_rank, stat: rank, "
                "low: 1, high: 2, as_stated: \"#1-#2\"}\n")
    before = snapshot(published.site_dir)
    code, _, err = run_main(published, capsys)
    assert code == 1
    assert err.startswith("data/location.yaml:4:5: a rank is one position: give value, not "
                          "low and high\n")
    assert snapshot(published.site_dir) == before


def test_a_bug_in_a_chart_kind_shows_its_traceback_and_exits_with_the_bug_status(
        published, capsys, monkeypatch):
    """A chart kind that raises anything but ChartDataError has a bug: the command line prints
    the traceback (ending in the planted KeyError), says it is a bug, not an input mistake,
    exits with status 70 and leaves site/ as it was."""
    from paysite.charts import KINDS, chart_kind
    monkeypatch.setitem(KINDS, "broken", None)  # removed again after the test

    @chart_kind("broken", "A chart with a bug")
    def broken(data, audit):
        raise KeyError("planted")

    break_input(Path("."), "content/experience.md", "charts: [pay_by_level, premium_by_level]",
                "charts: [pay_by_level, broken]")
    before = snapshot(published.site_dir)
    code, out, err = run_main(published, capsys)
    assert (code, out) == (errors.EXIT_BUG, "")
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith(
        "    raise KeyError(\"planted\")\nKeyError: 'planted'\n"
        "this is a bug in the generator, not a mistake in your input; please report it with "
        "the traceback above (site was not changed)\n")
    assert snapshot(published.site_dir) == before


def test_a_chart_whose_data_lacks_what_it_needs_is_a_located_input_mistake(
        published, capsys, monkeypatch):
    """A chart kind checks what it needs of the data and raises ChartDataError: one located
    line where a page names the chart, exit status 1, no traceback."""
    from paysite.charts import KINDS, ChartDataError, chart_kind
    monkeypatch.setitem(KINDS, "needy", None)

    @chart_kind("needy", "A chart that needs more")
    def needy(data, audit):
        raise ChartDataError("needs figures of a kind the data does not hold")

    break_input(Path("."), "content/experience.md", "charts: [pay_by_level, premium_by_level]",
                "charts: [pay_by_level, needy]")
    before = snapshot(published.site_dir)
    code, _, err = run_main(published, capsys)
    assert code == errors.EXIT_INPUT_ERROR
    assert err == ("content/experience.md:6:24: chart 'needy': needs figures of a kind the data "
                   "does not hold\nbuild failed: 1 problem(s); site was not changed\n")
    assert snapshot(published.site_dir) == before
