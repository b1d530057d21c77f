"""Claims in words: each check kind on small inline figures, the verdict rule, and the
loader's located errors."""

import pytest

from paysite import model, readings, worded_claims, worded_verdicts
from pathlib import Path

from paysite.yamlfile import parse_yaml

from test_compute import figure


NAMES = {"mle": "ML engineer", "swe": "Software engineer"}


def check(kind, **fields):
    fields.setdefault("dimension", "experience")
    fields.setdefault("measure", "total_comp")
    fields.setdefault("stat", "median")
    for key in ("roles", "groups", "named"):
        if key in fields:
            fields[key] = tuple(fields[key])
    return model.WordCheck(kind=kind, reading=f"{kind} reading", **fields)


def judge(figures, *checks, untestable=None):
    claim = model.WordClaim("w", "s", 1, "as stated", tuple(checks), untestable)
    [result] = worded_verdicts.judge_words((claim,), tuple(figures), NAMES)
    return result


LEVELS = [figure("mle", 110_000, group="a"), figure("swe", 100_000, group="a"),
          figure("mle", 130_000, group="b"), figure("swe", 100_000, group="b"),
          figure("mle", 150_000, group="c"), figure("swe", 100_000, group="c")]


def test_order_holds_when_every_pair_is_above():
    result = judge(LEVELS, check("order", a={"role": "mle"}, b={"role": "swe"}))
    assert result.verdict.kind == "consistent"
    assert result.outcomes[0].found == "above in 3 of 3"
    reverse = judge(LEVELS, check("order", a={"role": "swe"}, b={"role": "mle"}))
    assert reverse.verdict.kind == "contradicted"


def test_order_on_ranges_reads_midpoints_then_bottoms_and_tops():
    figures = [figure("mle", low=100, high=200, stat="range"),
               figure("swe", low=110, high=150, stat="range")]  # mids 150 vs 130; bottoms below
    result = judge(figures, check("order", stat="range", a={"role": "mle"}, b={"role": "swe"}))
    assert [(o.name, o.holds) for o in result.outcomes] == [
        ("order reading (midpoints)", True), ("order reading (bottoms)", False),
        ("order reading (tops)", True)]
    assert result.verdict.kind == "consistent"


def test_rank_counts_an_unlisted_item_as_failing():
    skills = [figure("mle", 1, group="RAG", stat="rank", unit="rank"),
              figure("mle", 4, group="Python", stat="rank", unit="rank")]
    result = judge(skills, check("rank", stat="rank", roles=["mle"], groups=["Python", "PyTorch"],
                                 within=2))
    assert result.verdict.kind == "contradicted"
    assert result.outcomes[0].found == "Python #4 (ML engineer); PyTorch not listed (ML engineer)"
    assert judge(skills, check("rank", stat="rank", roles=["mle"], groups=["RAG"], within=1)
                 ).verdict.kind == "consistent"


@pytest.mark.parametrize("shape, named, holds", [
    ("rises", [], True), ("falls", [], False), ("widest", ["c"], True),
    ("narrowest", ["a"], True), ("widest", ["a", "b"], False)])
def test_trend_reads_the_premium_along_the_groups(shape, named, holds):
    result = judge(LEVELS, check("trend", groups=["a", "b", "c"], shape=shape, named=named))
    assert result.outcomes[0].holds is holds
    assert result.outcomes[0].found == "+10%, +30%, +50%"
    assert result.outcomes[-1].name == "trend reading (in dollars, midpoints)"


def test_a_later_reading_that_holds_is_named_in_the_verdict():
    """+31%, +40%, +31% does not rise in percent; $40k, $100k, $130k does in dollars."""
    figures = [figure("mle", 170_000, group="e"), figure("swe", 130_000, group="e"),
               figure("mle", 350_000, group="m"), figure("swe", 250_000, group="m"),
               figure("mle", 550_000, group="s"), figure("swe", 420_000, group="s")]
    result = judge(figures, check("trend", groups=["e", "m", "s"], shape="rises"))
    assert result.verdict.kind == "consistent only under another reading"
    assert result.verdict.reading == "trend reading (in dollars, midpoints)"


def test_overlap_is_a_share_of_the_narrower_range():
    figures = [figure("mle", low=160, high=190, stat="range"),
               figure("swe", low=116, high=140, stat="range")]
    apart = judge(figures, check("overlap", stat="range", a={"role": "mle"}, b={"role": "swe"},
                                 at_least=0.5))
    assert (apart.verdict.kind, apart.outcomes[0].found) == (
        "contradicted", "overlap 0% of the narrower range")
    figures[1] = figure("swe", low=150, high=180, stat="range")
    assert judge(figures, check("overlap", stat="range", a={"role": "mle"}, b={"role": "swe"},
                                at_least=0.5)).outcomes[0].found == "overlap 67% of the narrower range"


def test_share_adds_the_named_groups_for_each_role():
    mix = [figure("mle", 11, group="Entry", stat="share", unit="percent"),
           figure("mle", 71, group="Mid", stat="share", unit="percent"),
           figure("mle", 18, group="Senior", stat="share", unit="percent")]
    senior = check("share", stat="share", roles=["mle"], groups=["Senior"], at_least=50)
    not_entry = check("share", stat="share", roles=["mle"], groups=["Mid", "Senior"], at_least=80)
    result = judge(mix, senior, not_entry)
    assert result.verdict.kind == "consistent only under another reading"
    assert result.verdict.reading == "share reading"
    assert [o.found for o in result.outcomes] == ["18 (ML engineer)", "89 (ML engineer)"]


def test_size_reads_the_words_as_a_premium_band():
    figures = [figure("mle", 261875, group="all"), figure("swe", 190000, group="all")]
    slightly = judge(figures, check("size", low=0, high=10))
    assert (slightly.verdict.kind, slightly.outcomes[0].found) == ("contradicted", "+38%")
    assert judge(figures, check("size", low=20)).verdict.kind == "consistent"  # no upper end


@pytest.mark.parametrize("above, low, high, verdict", [
    ("understated", 0, 10, "understated"),   # 'slightly' for +38%: the gap is larger
    ("understated", 50, None, "overstated"),  # 'vast' (50% or more) for +38%: smaller
    ("overstated", None, 10, "overstated"),   # a table word whose larger gap overstates
])
def test_a_size_word_missed_one_way_is_overstated_or_understated(above, low, high, verdict):
    figures = [figure("mle", 261875, group="all"), figure("swe", 190000, group="all")]
    assert judge(figures, check("size", low=low, high=high, above=above)).verdict.kind == verdict


def specialist(value_low, value_high, scope):
    return model.Figure(source="s", role="swe", dimension="specialisation", group="g",
                        level=None, measure="total_comp", unit="usd_per_year", stat="range",
                        value=None, low=value_low, high=value_high, qualifiers=(),
                        scope=scope, as_stated="x")


def test_a_side_may_read_another_data_file_and_scope_does_not_pair_across_files():
    figures = [specialist(300_000, 500_000, "Distributed systems"),
               specialist(280_000, 470_000, "Security"),
               figure("mle", low=290_000, high=450_000, stat="range"),
               figure("swe", low=280_000, high=420_000, stat="range")]
    above_ml = check("order", dimension="specialisation", stat="range", a={"role": "swe"},
                     b={"dimension": "experience", "role": "mle"})
    result = judge(figures, above_ml)
    assert [(o.name, o.holds, o.found) for o in result.outcomes] == [
        ("order reading (midpoints)", True, "above in 2 of 2"),
        ("order reading (bottoms)", False, "above in 1 of 2"),
        ("order reading (tops)", True, "above in 2 of 2")]


def test_sides_may_set_a_median_against_an_average_at_named_points():
    figures = [figure("swe", low=140_000, high=249_000, stat="avg_range"),
               figure("swe", 235_000), figure("mle", low=93_000, high=148_000,
                                              stat="avg_range"), figure("mle", 120_000)]
    skew = check("order", stat="avg_range", a={"point": "center"}, b={"stat": "median"})
    result = judge(figures, skew)
    assert [(o.holds, o.found) for o in result.outcomes] == [(False, "above in 1 of 2")]
    assert result.verdict.kind == "contradicted"


def test_width_compares_ranges_top_over_bottom():
    equity = model.Figure(source="s", role="mle", dimension="equity", group="g", level=None,
                          measure="equity_pct", unit="percent", stat="range", value=None,
                          low=0.2, high=0.5, qualifiers=(), scope=None, as_stated="x")
    base = figure("mle", low=130_000, high=170_000, stat="range")
    wider = check("width", dimension="equity", measure="equity_pct", stat="range", a={},
                  b={"dimension": "experience", "measure": "total_comp"})
    result = judge([equity, base], wider)
    assert (result.verdict.kind, result.outcomes[0].found) == (
        "consistent", "a spans 2.5 to 2.5 times its bottom, b 1.3 to 1.3 times")


def test_a_size_word_is_read_by_the_sites_table_and_an_unknown_one_is_located():
    text = ("claims: []\nsize_words:\n  - {word: slight, low: 0, high: 10, why: w}\nwords:\n"
            "  - {id: a, source: s, line: 3, as_stated: x, checks: [{kind: size, reading: r,\n"
            "     dimension: experience, measure: total_comp, stat: median, size: slight}]}\n"
            "  - {id: b, source: s, line: 3, as_stated: x, checks: [{kind: size, reading: r,\n"
            "     dimension: experience, measure: total_comp, stat: median, size: huge}]}\n")
    claims, problems = read(text)
    assert [(p.line, p.message) for p in problems] == [
        (8, "unknown size word 'huge' (known: slight)")]
    [claim] = claims
    assert (claim.checks[0].low, claim.checks[0].high, claim.checks[0].size) == (0, 10, "slight")


def test_every_size_check_of_the_site_names_a_word_of_its_table():
    from conftest import ROOT
    from paysite.load import load_data
    data = load_data(ROOT / "data")
    table = {entry["word"]: entry for entry in data.size_words}
    sized = [c for w in data.words for c in w.checks if c.kind == "size" and c.size]
    assert sized and all((c.low, c.high) == (table[c.size].get("low"), table[c.size].get("high"))
                         for c in sized)


def test_a_pair_open_at_both_ends_is_left_out_of_an_order_and_a_trend():
    figures = [figure("mle", low=130_000, high=170_000, stat="range", group="a"),
               figure("swe", low=120_000, high=160_000, stat="range", group="a"),
               figure("mle", low=280_000, high=350_000, stat="range", group="b",
                      qualifiers=("open_ended",)),
               figure("swe", low=260_000, high=320_000, stat="range", group="b",
                      qualifiers=("open_ended",))]
    order = judge(figures, check("order", stat="range", a={"role": "mle"}, b={"role": "swe"}))
    assert [o.found for o in order.outcomes] == [
        "above in 1 of 1; 1 pair with both figures ending in “or more” left out",
        "above in 2 of 2",
        "above in 1 of 1; 1 pair with both figures ending in “or more” left out"]
    trend = judge(figures, check("trend", stat="range", groups=["a", "b"], shape="rises"))
    assert trend.outcomes[-1].found == "$10,000, any value"
    assert trend.outcomes[-1].holds is False  # one settled step is no rise


def test_untestable_claims_keep_their_reason():
    result = judge(LEVELS, untestable="no figure: none by funding stage")
    assert result.verdict.words == "not testable (no figure): none by funding stage"
    assert result.outcomes == ()


def test_an_untestable_reason_starts_with_one_of_the_fixed_reasons():
    _, problems = read("claims: []\nwords:\n"
                       "  - {id: a, source: s, line: 3, as_stated: x,\n"
                       "     untestable: the guide gives no equity by city}\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (4, 18, "start the reason with one of no figure, cause, forecast, opinion, over time, "
                "method and a colon (\"no figure: the guide gives no equity by city\")")]


def read(text, figures=LEVELS):
    doc = parse_yaml(text, Path("data/claims.yaml"))
    return worded_claims.read_words(doc, {"s": {}}, {"experience": "label"}, figures)


def test_loader_locates_each_mistake():
    _, problems = read(
        "claims: []\nwords:\n"
        "  - {id: a, source: s, line: 3, as_stated: x, untestable: 'no figure: y',\n"
        "     checks: [{kind: order, reading: r, dimension: experience, measure: m, stat: median}]}\n"
        "  - {id: b, source: t, line: 3, as_stated: x, checks: [{kind: order, reading: r,\n"
        "     dimension: pay, measure: total_comp, stat: median}]}\n"
        "  - {id: c, source: s, line: 3, as_stated: x, checks: [{kind: trend, reading: r,\n"
        "     dimension: experience, measure: total_comp, stat: median, groups: [a, z]}]}\n")
    assert [(p.line, p.message) for p in problems] == [
        (3, "a claim in words needs either checks (how its figures test it) or untestable "
            "(why none can), not both"),
        (4, "s has no median figures of m in experience.yaml"),
        (5, "unknown source 't' (known: s)"),
        (6, "unknown dimension 'pay' (known: experience)"),
        (8, "unknown group 'z' (known: a, b, c)")]


def test_the_claims_page_opens_with_the_verdicts_counted_from_the_data(real_site):
    import re
    from collections import Counter
    from conftest import ROOT
    from paysite.claims import recompute_claims
    from paysite.load import load_data
    data = load_data(ROOT / "data")
    numbers = Counter(r.verdict.kind for r in recompute_claims(data))
    worded = Counter(r.verdict.kind for r in worded_verdicts.judge_words(data.words, data.figures, {}))
    html = (real_site / "claims.html").read_text(encoding="utf-8")
    summary = " ".join(re.search(r'<section class="answer".*?</section>', html, re.S)
                       .group(0).split())
    def counted(counts):
        parts = [f"{counts[kind]} {kind}" for kind in readings.VERDICTS if counts[kind]]
        return "; ".join(parts[:-1]) + f"; and {parts[-1]}."
    assert (f"Of the {len(data.claims)} claims the sources state as numbers, the build finds "
            f"{counted(numbers)}") in summary
    assert f"Of the {len(data.words)} claims they make in words, {counted(worded)}" in summary


@pytest.mark.parametrize("check, message", [
    ("{kind: order, reading: r, dimension: experience, measure: total_comp, stat: median, "
     "a: {role: mle, group: zz}, b: {role: swe}}",
     "no pair of the source's figures matches both sides a and b; check their role, group "
     "and scope"),
    ("{kind: rank, reading: r, dimension: experience, measure: total_comp, stat: median}",
     "a rank check needs groups"),
    ("{kind: trend, reading: r, dimension: experience, measure: total_comp, stat: median, "
     "groups: [a, b], shape: widest, named: [c]}", "named groups must be among the groups"),
])
def test_a_check_that_could_only_pass_by_matching_nothing_is_refused(check, message):
    _, problems = read("claims: []\nwords:\n  - {id: a, source: s, line: 3, as_stated: x,\n"
                       f"     checks: [{check}]}}\n")
    assert [p.message for p in problems] == [message]


def test_a_trend_needs_both_roles_in_every_group():
    figures = LEVELS + [figure("mle", 170, group="d")]
    _, problems = read("claims: []\nwords:\n  - {id: a, source: s, line: 3, as_stated: x,\n"
                       "     checks: [{kind: trend, reading: r, dimension: experience, "
                       "measure: total_comp, stat: median, groups: [a, d], shape: rises}]}\n",
                       figures)
    assert [p.message for p in problems] == [
        "claim 'a', check 1 (trend): group 'd' has no software figure; a trend check needs an "
        "ML and a software figure in every group it reads"]


def test_a_trend_step_must_be_clearer_than_the_tolerance():
    """+30.8% and +31.0% are one premium: 'larger at senior than at entry' does not hold in
    percent, though it does in dollars ($40,000 against $130,000)."""
    figures = [figure("mle", 170_000, group="e"), figure("swe", 130_000, group="e"),
               figure("mle", 350_000, group="m"), figure("swe", 250_000, group="m"),
               figure("mle", 550_000, group="s"), figure("swe", 420_000, group="s")]
    result = judge(figures, check("trend", groups=["e", "m", "s"], shape="widest",
                                  named=["m", "s"]))
    assert result.outcomes[0].holds is False
    assert result.verdict.reading == "trend reading (in dollars, midpoints)"


@pytest.mark.parametrize("named", ["l3", "l7"])
def test_a_trend_the_printed_precision_cannot_settle_is_possible_not_shown(named):
    """L3 +25.6% against L7 +25.0% from figures printed to the $1,000: the two premiums cannot
    be told apart, so either may be the widest: not shown, and not contradicted."""
    figures = [figure("mle", 245_000, group="l3"), figure("swe", 195_000, group="l3"),
               figure("mle", 300_000, group="l4"), figure("swe", 260_000, group="l4"),
               figure("mle", 925_000, group="l7"), figure("swe", 740_000, group="l7")]
    result = judge(figures, check("trend", groups=["l3", "l4", "l7"], shape="widest",
                                  named=[named]))
    percent, dollars = result.outcomes
    assert (percent.holds, percent.possible) == (False, True)
    assert dollars.holds is (named == "l7") and not dollars.possible  # L7: $185,000 widest
    assert result.verdict.kind == (readings.POSSIBLE if named == "l3" else
                                   readings.OTHER_READING)
    assert "not shown: possible within the figures' precision" in (
        worded_verdicts.outcomes_words(result))


def test_a_trend_against_the_figures_as_printed_is_still_contradicted():
    figures = [figure("mle", 200_000, group="l3"), figure("swe", 190_000, group="l3"),
               figure("mle", 300_000, group="l4"), figure("swe", 200_000, group="l4")]
    result = judge(figures, check("trend", groups=["l3", "l4"], shape="widest", named=["l3"]))
    assert not any(o.possible for o in result.outcomes)
    assert result.verdict.kind == readings.CONTRADICTED


def test_a_role_that_stands_for_another_is_named_as_itself():
    """The job board's AI software engineer is compared as a software engineer, and named as
    what it is."""
    board = [model.Figure(source="s", role="ai_swe", dimension="skills", group="Python",
                          level=None, measure="skill_rank", unit="rank", stat="rank",
                          value=2, low=None, high=None, qualifiers=(), scope=None,
                          as_stated="#2", compared_as="swe")]
    claim = model.WordClaim("w", "s", 1, "as stated", (check(
        "rank", dimension="skills", measure="skill_rank", stat="rank", groups=["Python"],
        roles=["swe"], within=3),), None)
    [result] = worded_verdicts.judge_words((claim,), tuple(board),
                                           {**NAMES, "ai_swe": "AI software engineer"})
    assert result.outcomes[0].found == "Python #2 (AI software engineer)"
    assert result.verdict.kind == readings.CONSISTENT


def test_a_trend_resting_on_an_or_more_figure_is_not_shown():
    """+5% or more (its ML figure ends in '+') may be narrower than +10%, or not: the words
    'narrowest at b' are possible, not shown."""
    figures = [figure("mle", 110_000, group="a"), figure("swe", 100_000, group="a"),
               figure("mle", 105_000, group="b", qualifiers=("open_ended",)),
               figure("swe", 100_000, group="b")]
    result = judge(figures, check("trend", groups=["a", "b"], shape="narrowest", named=["b"]))
    assert [(o.holds, o.possible) for o in result.outcomes] == [(False, True), (False, True)]
    assert result.verdict.kind == readings.POSSIBLE
