"""Stage 2: checking data/ against the schema and across files."""

from pathlib import Path

import pytest

from paysite import errors, load, pipeline

JUNIOR_ML = ("{source: alpha, role: mle, group: Junior, measure: total_comp, stat: median, "
             "value: 150000, as_stated: \"$150,000\"}")


def edit(path: Path, old: str, new: str) -> str:
    """Replace text once in a file and return the file's new text."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def at(text: str, token: str, occurrence: int = 1) -> str:
    """line:col of the n-th occurrence of token in text."""
    index = -1
    for _ in range(occurrence):
        index = text.index(token, index + 1)
    line = text.count("\n", 0, index) + 1
    return f"{line}:{index - (text.rfind(chr(10), 0, index) + 1) + 1}"


def problems(paths: pipeline.Paths) -> list[str]:
    with pytest.raises(errors.BuildError) as caught:
        load.load_data(paths.data_dir)
    return [str(p) for p in caught.value.problems]


def test_small_site_data_is_valid(small_site):
    data = load.load_data(small_site.data_dir)
    assert len(data.figures) == 6
    assert [f.level for f in data.figures if f.dimension == "experience"] == [
        "entry", "entry", "entry", "entry"]
    assert data.group_kinds == {"experience": "level", "location": "city"}


# One mistake in one file: (file, text replaced, its replacement, where the message
# points, the message).
LOCATED_MISTAKES = [
    ("experience.yaml", "source: alpha, role: mle, group: Junior", "source: gamma, role: mle, group: Junior",
     "gamma", "unknown source 'gamma' (known: alpha, beta)"),
    ("experience.yaml", "role: mle, group: Junior", "role: pm, group: Junior", "pm",
     "unknown role 'pm' (known: mle, swe)"),
    ("experience.yaml", "role: mle, group: Junior", "role: mle, group: Staff", "Staff",
     "unknown level label 'Staff' for source 'alpha' (levels.yaml maps: Junior, Senior)"),
    ("experience.yaml", "measure: total_comp, stat: median, value: 150000", "measure: tc, stat: median, "
     "value: 150000", "tc,", "unknown measure 'tc' (known: remote_share, total_comp)"),
    ("experience.yaml", "value: 150000", "value: \"150K\"", "\"150K\"",
     "value: expected a number, got text '150K'; write 150000 (digits only: the unit comes "
     "from the measure)"),
    ("experience.yaml", "value: 150000", "value: -5", "-5", "value: -5 is negative"),
    ("experience.yaml", "value: 150000", "value: 150000000", "150000000",
     "value: 150,000,000 is implausibly large for usd_per_year (at most 10,000,000)"),
    ("experience.yaml", "low: 200000, high: 300000", "low: 300000, high: 200000", "300000",
     "low (300,000) is above high (200,000)"),
    ("experience.yaml", "value: 150000, as_stated", "value: 150000, colour: red, as_stated", "colour",
     "unknown field 'colour' (allowed: as_stated, group, high, low, measure, note, "
     "qualifiers, role, scope, source, stat, value)"),
    ("experience.yaml", ", as_stated: \"$150,000\"}", "}", "{source: alpha, role: mle, group: Junior",
     "missing required field 'as_stated'"),
    ("experience.yaml", "stat: median, value: 150000", "stat: median, value: 150000, low: 1, high: 2",
     "{source: alpha, role: mle, group: Junior", "give either value or low and high, not both"),
    ("experience.yaml", "stat: range, low: 200000, high: 300000", "stat: range, low: 200000",
     "{source: beta, role: mle", "a range needs both low and high; high is missing"),
    ("experience.yaml", "stat: median, value: 150000", "stat: range, value: 150000", "150000",
     "stat 'range' is a range: give low and high"),
    ("experience.yaml", "stat: median, value: 150000", "stat: mode, value: 150000", "mode",
     "stat: 'mode' is not one of: avg_range, count, estimate, mean, median, p25, p25_p75, p75, "
     "range, rank, share, top"),
    ("location.yaml", "role: mle, group: nyc", "role: mle, group: paris", "paris",
     "unknown city 'paris' (known: nyc)"),
    ("location.yaml", "  - {source: alpha, role: mle", "  - 7\n  - {source: alpha, role: mle",
     "7", "expected a mapping (key: value), got a number 7"),
    ("location.yaml", "dimension: location", "dimension: city", "city",
     "dimension 'city' must match the file name 'location'"),
    ("location.yaml", "value: 260000", "value: yes", "yes",
     "value: expected a number, got a yes/no value True"),
    ("claims.yaml", "group: Junior", "group: Senior", "{id: alpha-junior",
     "no figures to recompute this premium claim from: it needs a figure with role mle and "
     "one with role swe, in one group, with source alpha, dimension experience, measure total_comp, stat "
     "median, group Senior. alpha has for total_comp in experience: median Junior (mle), "
     "median Junior (swe)"),
    ("claims.yaml", "dimension: experience", "dimension: equity", "equity",
     "unknown dimension 'equity' (known: experience, location)"),
    ("levels.yaml", "{label: L3, level: entry}", "{label: L3, level: intern}", "intern",
     "unknown level 'intern' (known: entry, senior)"),
    ("claims.yaml", "value: 25,", "value: 25, low: 20, high: 30,", "{id: alpha-junior",
     "give either value or low and high, not both"),
    ("claims.yaml", "value: 25,", "low: 20,", "{id: alpha-junior",
     "a range needs both low and high; high is missing"),
    ("claims.yaml", "value: 25,", "low: 30, high: 20,", "30", "low (30) is above high (20)"),
    ("claims.yaml", "value: 25,", "value: -25,", "-25", "value: -25 is negative"),
    ("claims.yaml", "value: 25,", "value: 2500,", "2500",
     "value: 2,500 is implausibly large for percent_change (at most 1,000)"),
    ("claims.yaml", "premium: ml_over_swe,", "", "{id: alpha-junior",
     "a premium claim needs premium: ml_over_swe or swe_over_ml (or its two sides a and b)"),
    ("claims.yaml", "premium: ml_over_swe,", "formula: share, a: {role: mle},", "{id: alpha-junior",
     "a share claim needs both sides: a and b"),
    ("claims.yaml", "premium: ml_over_swe,", "formula: share, a: {role: ml}, b: {role: swe},",
     "ml}", "unknown role 'ml' (known: mle, swe); did you mean 'mle'?"),
    ("claims.yaml", "premium: ml_over_swe,", "premium: ml_over_swe, a: {role: mle}, b: {role: swe},",
     "ml_over_swe", "give either premium or a and b, not both"),
    ("claims.yaml", "premium: ml_over_swe, value: 25,",
     "formula: difference, a: {role: mle}, b: {role: swe}, value: 20000000,", "20000000",
     "value: 20,000,000 is implausibly large for usd_per_year (at most 10,000,000)"),
]


@pytest.mark.parametrize("name, old, new, token, message", LOCATED_MISTAKES)
def test_one_mistake_one_located_message(small_site, name, old, new, token, message):
    text = edit(small_site.data_dir / name, old, new)
    assert problems(small_site) == [f"data/{name}:{at(text, token)}: {message}"]


def test_duplicate_record_names_the_first_line(small_site):
    path = small_site.data_dir / "experience.yaml"
    text = edit(path, f"  - {JUNIOR_ML}\n", f"  - {JUNIOR_ML}\n  - {JUNIOR_ML}\n")
    assert problems(small_site) == [
        f"data/experience.yaml:{at(text, '{source: alpha, role: mle', 2)}: duplicate record: "
        "same source, role, group, measure, stat and scope as line 4"]








def test_every_problem_of_every_file_is_reported_at_once(small_site):
    loc = edit(small_site.data_dir / "location.yaml", "value: 260000", "value: -1")
    exp = edit(small_site.data_dir / "experience.yaml", "role: swe, group: Junior",
               "role: dev, group: Junior")
    assert problems(small_site) == [
        f"data/experience.yaml:{at(exp, 'dev')}: unknown role 'dev' (known: mle, swe)",
        f"data/location.yaml:{at(loc, '-1')}: value: -1 is negative",
    ]








def test_missing_registry_file(small_site):
    (small_site.data_dir / "measures.yaml").unlink()
    assert problems(small_site) == ["data/measures.yaml:1:1: required data file is missing"]


def test_stray_file_in_data(small_site):
    (small_site.data_dir / "notes.txt").write_text("hi", encoding="utf-8")
    assert problems(small_site) == [
        "data/notes.txt:1:1: unexpected file in data/ (data files end in .yaml)"]


def test_empty_file(small_site):
    (small_site.data_dir / "cities.yaml").write_text("", encoding="utf-8")
    assert problems(small_site) == [
        "data/cities.yaml:1:1: expected a mapping (key: value), got nothing (the value or the "
        "file is empty)"]




def test_a_dimension_grouped_by_free_labels(small_site):
    (small_site.data_dir / "switch.yaml").write_text(
        "dimension: switch\ngroups: label\nobservations:\n"
        "  - {source: alpha, role: any, group: SWE to ML, measure: time, stat: range, "
        "low: 6, high: 12, as_stated: \"6-12 months\"}\n", encoding="utf-8")
    edit(small_site.data_dir / "measures.yaml", "measures:\n",
         "measures:\n  - {id: time, name: Time to switch, unit: months}\n")
    edit(small_site.data_dir / "roles.yaml", "roles:\n", "roles:\n  - {id: any, name: Either role, names: {}}\n")
    data = load.load_data(small_site.data_dir)
    [fig] = [f for f in data.figures if f.dimension == "switch"]
    assert (fig.group, fig.unit, fig.low, fig.high, fig.level) == ("SWE to ML", "months", 6, 12, None)
