"""Stage 3: premiums and claim recomputation, from small inline figures."""

import dataclasses

import pytest

from paysite import claims, load, model, readings, text
from paysite.charts import tables


def figure(role, value=None, low=None, high=None, stat="median", group="g", source="s",
           qualifiers=(), measure="total_comp", unit="usd_per_year", scope=None):
    return model.Figure(source=source, role=role, dimension="experience", group=group,
                        level=None, measure=measure, unit=unit, stat=stat,
                        value=value, low=low, high=high, qualifiers=qualifiers, scope=scope,
                        as_stated="x")


def claim(premium="ml_over_swe", group="g", stat="median", unit="percent_change", **fields):
    """A claim built the way read_claims builds one from a data-file record."""
    record = dict(id="c", source="s", dimension="experience", measure="total_comp",
                  stat=stat, as_stated="x", **fields)
    if group is not None:
        record["group"] = group
    if premium:
        record["premium"] = premium
    return load.make_claim(record, unit)


def dataset(figures, claims):
    return model.Dataset(site={"title": "T", "updated": "2026-01-01"},
                         sources={"s": {"short": "S"}, "t": {"short": "T"}}, roles={},
                         ladder={}, level_maps={}, cities={}, measures={"total_comp": {
                             "name": "Total compensation"}},
                         group_kinds={"experience": "label"}, figures=tuple(figures),
                         claims=tuple(claims))


@pytest.mark.parametrize("ml, swe, expected", [
    (figure("mle", 130), figure("swe", 100), 30.0),
    (figure("mle", low=130, high=170, stat="range"), figure("swe", low=120, high=160,
                                                             stat="range"), 150 / 140 * 100 - 100),
    (figure("mle", 100), figure("swe", 125), -20.0),
])
def test_ml_premium_uses_values_or_midpoints(ml, swe, expected):
    assert claims.ml_premium(ml, swe) == pytest.approx(expected)


def test_premiums_prefer_the_median_over_a_range_for_the_same_group():
    figures = [figure("mle", 170), figure("swe", 130),
               figure("mle", low=150, high=190, stat="range"),
               figure("swe", low=110, high=161, stat="range")]
    [premium] = claims.premiums(figures, "experience")
    assert premium.percent == pytest.approx(170 / 130 * 100 - 100)
    assert premium.formula == "ratio of the two medians"


def test_premiums_need_both_roles():
    assert claims.premiums([figure("mle", 170)], "experience") == []


@pytest.mark.parametrize("number, as_stated, unit, approximate, step", [
    (130000, "$130,000 - $170,000", "usd_per_year", False, 1000),   # round: to the $1,000
    (150000, "ML $150K–$190K", "usd_per_year", False, 1000),
    (93000, "$93K–$148K", "usd_per_year", False, 1000),
    (182500, "~$182,500", "usd_per_year", True, 1000),              # to the $100, then ~
    (200000, "~$200,000 – $240,000", "usd_per_year", True, 10000),
    (261875, "$261,875", "usd_per_year", False, 1),
    (1200000, "$650k - $1.2M TC", "usd_per_year", False, 100000),   # printed to $0.1M
    (31, "+31%", "percent_change", False, 1),
    (40, "+40%", "percent_change", False, 1),
    (2.5, "2.5 years", "years", False, 0.1),
    (26159, "26,159 open positions", "count", False, 1),
])
def test_a_number_is_read_at_the_step_it_is_printed_to(number, as_stated, unit, approximate,
                                                         step):
    assert readings.printed_step(number, as_stated, unit, approximate) == pytest.approx(step)


def test_a_premium_is_the_interval_its_printed_figures_allow():
    [result] = claims.recompute_claims(dataset([figure("mle", 170_000), figure("swe", 130_000)],
                                               [claim(value=31)]))
    [one] = result.readings[0].results
    assert (one.low, one.value, one.high) == pytest.approx(
        (169_500 / 130_500 * 100 - 100, 170 / 130 * 100 - 100, 170_500 / 129_500 * 100 - 100))


@pytest.mark.parametrize("stated, verdict", [
    (dict(value=31), "consistent"),                 # +30.8% [29.9 to 31.7] meets 30.5-31.5
    (dict(value=30), "consistent"),                 # 29.5-30.5 meets it too
    (dict(value=33), "overstated"),                 # 32.5-33.5: every result is lower
    (dict(low=15, high=20), "understated"),         # every result is higher
    (dict(low=29, high=35), "consistent"),
    (dict(value=28), "understated"),                # 27.5-28.5 against 29.9 at the lowest
    (dict(value=-10), "contradicted"),              # the figures point the other way
])
def test_verdict_rests_on_the_printed_precision_not_a_blanket_tolerance(stated, verdict):
    data = dataset([figure("mle", 170_000), figure("swe", 130_000)], [claim(**stated)])
    [result] = claims.recompute_claims(data)
    assert result.low == pytest.approx(30.769, abs=1e-3)
    assert result.verdict.kind == verdict


def test_a_negative_claim_against_positive_figures_is_contradicted_not_understated():
    data = dataset([figure("mle", 100_000), figure("swe", 165_000)],
                   [claim("ml_over_swe", value=10)])
    assert claims.recompute_claims(data)[0].verdict.kind == "contradicted"


def test_claim_without_group_reads_each_group_and_their_average():
    figures = [figure("mle", 110_000, group="a"), figure("swe", 100_000, group="a"),
               figure("mle", 120_000, group="b"), figure("swe", 100_000, group="b")]
    [result] = claims.recompute_claims(dataset(figures, [claim(low=14, high=16, group=None)]))
    assert (round(result.low, 6), round(result.high, 6)) == (10.0, 20.0)
    names = [(r.name, r.outcome) for r in result.readings]
    assert names == [("the figures as printed, each group on its own", "both"),
                     ("the figures as printed, average of the groups", "holds")]
    assert result.verdict.kind == "consistent only under another reading"
    assert result.verdict.reading == "the figures as printed, average of the groups"
    assert [row.kind for row in result.rows] == ["overstated", "understated"]


def test_each_row_gets_its_own_verdict():
    figures = [figure("mle", 110_000, group="a"), figure("swe", 100_000, group="a"),
               figure("mle", 130_000, group="b"), figure("swe", 100_000, group="b")]
    [result] = claims.recompute_claims(dataset(figures, [claim(low=9, high=11, group=None)]))
    assert [row.kind for row in result.rows] == ["consistent", "understated"]
    assert result.verdict.kind == "understated"  # the average, +20%, is above it too


def test_another_point_of_the_ranges_is_named_when_only_it_holds():
    figures = [figure("mle", low=200_000, high=260_000, stat="range"),
               figure("swe", low=150_000, high=250_000, stat="range")]  # bottoms +33%, mids +15%
    [result] = claims.recompute_claims(dataset(figures, [claim(stat="range", low=30, high=35)]))
    assert result.verdict.kind == "consistent only under another reading"
    assert result.verdict.reading == "bottoms of the ranges"
    assert result.verdict.words == ("consistent only under another reading "
                                    "(bottoms of the ranges)")
    assert result.rows[0].reading == "bottoms of the ranges"


def test_untestable_claim_says_why_and_is_still_recomputed():
    figures = [figure("mle", 200_000), figure("swe", 100_000)]
    [result] = claims.recompute_claims(dataset(figures, [
        claim(value=100, untestable="the figures mix two gaps")]))
    assert result.low == pytest.approx(100.0)  # consistent numbers, yet not judged
    assert (result.verdict.kind, result.verdict.reason) == ("not testable",
                                                            "the figures mix two gaps")
    assert result.verdict.words == "not testable: the figures mix two gaps"
    assert result.rows[0].kind == "not testable"


def test_a_claim_that_needs_an_open_end_to_be_high_is_possible_not_shown():
    """ML "$200,000 - $260,000+" against SWE $180,000: the midpoint premium is +28% or more;
    40-45% holds only if the open top reaches $300,000: at the printed precision the midpoint
    is then up to $250,500, against $179,500 at the least, +39.6%, within 39.5%-45.5%."""
    figures = [figure("mle", low=200_000, high=260_000, stat="range", qualifiers=("open_ended",)),
               figure("swe", low=180_000, high=180_000, stat="range")]
    [result] = claims.recompute_claims(dataset(figures, [claim(stat="range", low=40, high=45)]))
    midpoints = result.readings[0]
    assert (midpoints.low, midpoints.open_above, midpoints.open_below) == (
        pytest.approx(230 / 180 * 100 - 100), True, False)
    assert text.reading_words(result.claim, midpoints) == "+28% or more [+27.1% to +28.4%, or more]"
    assert result.verdict.kind == "possible, not shown"
    assert result.verdict.words == ("possible, not shown: only if “x” reaches $300,000 at its "
                                    "top; it holds under another reading (tops of the ranges)")
    bottoms = next(r for r in result.readings if r.points == ("low", "low"))
    assert (bottoms.open_above, bottoms.holds) == (False, False)  # the bottom is exact


def test_a_claim_met_by_the_closed_part_of_an_open_result_is_consistent():
    figures = [figure("mle", low=200_000, high=260_000, stat="range", qualifiers=("open_ended",)),
               figure("swe", low=180_000, high=180_000, stat="range")]
    [result] = claims.recompute_claims(dataset(figures, [claim(stat="range", value=28)]))
    assert result.verdict.kind == "consistent"


def test_open_ended_software_figure_caps_the_premium():
    figures = [figure("mle", 300_000), figure("swe", 250_000, qualifiers=("open_ended",))]
    above, below = claims.recompute_claims(dataset(figures, [claim(value=25), claim(value=15)]))
    assert (above.readings[0].open_below, above.readings[0].open_above) == (True, False)
    assert text.reading_words(above.claim, above.readings[0]) == (
        "+20% or less [+19.6% to +20.4%, or less]")
    assert (above.verdict.kind, below.verdict.kind) == ("overstated", "possible, not shown")
    # 15% read as up to 15.5%: $299,500 against $259,500 gives +15.4%
    assert below.verdict.words == "possible, not shown: only if “x” reaches $259,000"


def test_share_claim_divides_one_count_by_the_other():
    figures = [figure("mle", 23752, stat="count", unit="count", group="all"),
               figure("any", 26159, stat="count", unit="count", group="all")]
    share = claim(None, group="all", stat="count", formula="share", a={"role": "mle"},
                  b={"role": "any"}, value=91)
    [result] = claims.recompute_claims(dataset(figures, [share]))
    assert result.low == pytest.approx(23752 / 26159 * 100)
    assert result.verdict.kind == "consistent"
    assert result.premiums == ()


def test_dip_claim_pairs_groups_within_each_role():
    figures = [figure("mle", 200_000, group="remote"), figure("mle", 250_000, group="hub"),
               figure("swe", 150_000, group="remote"), figure("swe", 200_000, group="hub"),
               figure("swe", 999_000, group="elsewhere")]
    dip = claim(None, group=None, formula="dip", a={"group": "remote"}, b={"group": "hub"},
                low=10, high=15)
    [result] = claims.recompute_claims(dataset(figures, [dip]))
    assert [(c.a.role, c.b.role) for c in result.comparisons] == [("mle", "mle"), ("swe", "swe")]
    assert (result.low, result.high) == pytest.approx((20.0, 25.0))
    assert result.verdict.kind == "understated"  # the dip is larger than stated


def test_a_claim_with_a_caveat_is_judged_and_the_verdict_carries_the_caveat():
    """A remote dip read against hub figures that are a national average, say: judged on
    the figures, with the reader told what to weigh beside the verdict."""
    figures = [figure("mle", 200_000, group="remote"), figure("mle", 250_000, group="hub"),
               figure("swe", 150_000, group="remote"), figure("swe", 200_000, group="hub")]
    dip = claim(None, group=None, formula="dip", a={"group": "remote"}, b={"group": "hub"},
                low=10, high=15, caveat="the remote figure is a national average")
    [result] = claims.recompute_claims(dataset(figures, [dip]))
    assert result.claim.untestable is None and result.verdict.kind == "understated"
    assert result.verdict.caveat == "the remote figure is a national average"
    assert result.verdict.words.endswith("; caveat: the remote figure is a national average")


def test_difference_claim_reads_the_range_tops_and_uses_a_dollar_tolerance():
    figures = [figure("swe", low=140, high=249_000, stat="avg_range"),
               figure("mle", low=93, high=148_000, stat="avg_range")]
    gap = claim(None, stat="avg_range", unit="usd_per_year", formula="difference",
                a={"role": "swe", "point": "high"}, b={"role": "mle", "point": "high"},
                value=100_000)
    [result] = claims.recompute_claims(dataset(figures, [gap]))
    assert result.low == 101_000
    assert result.verdict.kind == "consistent"  # $1,000 off, within $5,000
    assert result.comparisons[0].how == "difference of the tops of the two average salary ranges"


def test_open_ended_claim_has_no_upper_limit():
    figures = [figure("mle", 200), figure("swe", 100)]
    [result] = claims.recompute_claims(dataset(figures, [
        claim(low=40, high=45, qualifiers=["open_ended"])]))
    assert result.low == pytest.approx(100.0)
    assert result.verdict.kind == "consistent"


def test_range_claims_also_get_the_bottom_and_top_readings():
    figures = [figure("mle", low=200, high=290, stat="range"),
               figure("swe", low=170, high=220, stat="range")]
    [result] = claims.recompute_claims(dataset(figures, [claim(stat="range", low=18, high=32)]))
    readings = {r.name: (round(r.low, 1), round(r.high, 1)) for r in result.readings}
    assert readings == {"midpoints of the ranges": (25.6, 25.6),
                        "bottoms of the ranges": (17.6, 17.6), "tops of the ranges": (31.8, 31.8)}
    assert result.low == pytest.approx(245 / 195 * 100 - 100)


def test_cross_checks_apply_the_claim_to_other_sources_at_the_same_group():
    figures = [figure("mle", 110), figure("swe", 100),
               figure("mle", 150, source="t"), figure("swe", 100, source="t"),
               figure("mle", 300, source="t", group="other"),
               figure("swe", 100, source="t", group="other")]
    [result] = claims.recompute_claims(dataset(figures, [claim(value=10)]))
    [check] = result.others
    assert (check.source, check.low, check.high) == ("t", pytest.approx(50.0),
                                                     pytest.approx(50.0))
    assert result.verdict.kind == "consistent"  # other sources never enter the verdict


def test_swe_over_ml_claim_is_recomputed_the_other_way():
    figures = [figure("mle", 100), figure("swe", 167)]
    [result] = claims.recompute_claims(dataset(figures, [claim("swe_over_ml", value=67)]))
    assert result.low == pytest.approx(67.0)
    assert result.verdict.kind == "consistent"
    assert claims.stated_as_ml_premium(result.claim) == pytest.approx((100 / 167 * 100 - 100,) * 2)


@pytest.mark.parametrize("fig, written", [
    (figure("mle", 130000), "$130,000"),
    (figure("mle", low=280000, high=350000, qualifiers=("open_ended",)), "$280,000 – $350,000+"),
    (figure("mle", 182500, qualifiers=("approximate",)), "~$182,500"),
    (figure("mle", 476000, qualifiers=("at_least",)), "over $476,000"),
])
def test_format_figure_keeps_qualifiers(fig, written):
    assert text.format_figure(fig, "usd_per_year") == written


@pytest.mark.parametrize("low, high, written", [
    (30.769, 30.769, "+31%"), (-38.04, -38.04, "-38%"), (7.14, 8.7, "+7% to +9%"),
    (7.4, 7.45, "+7%"), (-0.3, 0.2, "0%")])
def test_format_percent(low, high, written):
    assert text.format_percent(low, high) == written


def test_a_row_both_open_ended_is_left_out_of_the_average_and_not_judged():
    figures = [figure("mle", 110, group="a"), figure("swe", 100, group="a"),
               figure("mle", 150, group="b", qualifiers=("open_ended",)),
               figure("swe", 100, group="b", qualifiers=("open_ended",))]
    [result] = claims.recompute_claims(dataset(figures, [claim(low=9, high=11, group=None)]))
    each, mean = result.readings
    assert each.results[1].undetermined and each.holds
    assert mean.results[0].value == pytest.approx(10.0)  # group b left out of the mean
    assert [row.kind for row in result.rows] == ["consistent", "not testable"]


def test_a_claim_whose_figures_all_end_in_or_more_is_not_testable():
    figures = [figure("mle", low=300, high=350, stat="range", qualifiers=("open_ended",)),
               figure("swe", low=260, high=320, stat="range", qualifiers=("open_ended",))]
    [result] = claims.recompute_claims(dataset(figures, [claim(stat="range", low=10, high=15)]))
    # The bottoms are exact (+15%), so they still say something: consistent there.
    assert result.verdict.kind == "consistent only under another reading"
    both_open = [figure("mle", 300, qualifiers=("at_least",)),
                 figure("swe", 260, qualifiers=("at_least",))]
    [result] = claims.recompute_claims(dataset(both_open, [claim(value=50)]))
    assert (result.verdict.kind, result.rows[0].kind) == ("not testable", "not testable")
    assert text.reading_words(result.claim, result.readings[0]) == (
        "any value (both figures end with “or more”)")


def test_an_at_least_claim_has_no_upper_limit():
    figures = [figure("mle", 200), figure("swe", 100)]
    [result] = claims.recompute_claims(dataset(figures, [
        claim(value=40, qualifiers=["at_least"])]))
    assert result.verdict.kind == "consistent"  # +100% is "more than 40%"


def test_cross_checks_keep_to_the_claims_measure_and_roles():
    """Base salary does not test a claim about total compensation, and a source's own role
    that stands for software engineers (the job board's AI software engineers) does not test
    a claim about software engineers in general, nor the other way round."""
    figures = [figure("mle", 110), figure("swe", 100),
               figure("mle", 150, source="t", measure="base_salary"),
               figure("swe", 100, source="t", measure="base_salary"),
               figure("mle", 130, source="u"),
               dataclasses.replace(figure("ai_swe", 100, source="u"), compared_as="swe")]
    data = dataclasses.replace(dataset(figures, [claim(value=10)]),
                               sources={"s": {}, "t": {}, "u": {}})
    [result] = claims.recompute_claims(data)
    assert result.others == ()
    [board] = claims.recompute_claims(dataclasses.replace(
        data, claims=(dataclasses.replace(claim(value=30), source="u"),)))
    assert board.others == ()


def test_a_row_open_at_its_midpoints_is_judged_at_the_ends_that_are_closed():
    figures = [figure("mle", low=280_000, high=350_000, stat="range", qualifiers=("open_ended",)),
               figure("swe", low=260_000, high=320_000, stat="range",
                      qualifiers=("open_ended",))]
    [result] = claims.recompute_claims(dataset(figures, [claim(low=10, high=15, stat="range")]))
    [row] = result.rows
    assert result.readings[0].results[0].undetermined
    assert row.kind == "overstated"
    assert tables.closed_only(result, 0) == (
        "; at the midpoints any value (both figures end in +); at the bottoms +8%; "
        "at the tops any value (both figures end in +)")


def test_a_claim_that_says_often_may_hold_in_some_groups_only():
    figures = [figure("mle", 112_000, group="a"), figure("swe", 100_000, group="a"),
               figure("mle", 125_000, group="b"), figure("swe", 100_000, group="b")]
    [plain] = claims.recompute_claims(dataset(figures, [claim(low=10, high=15, group=None)]))
    [often] = claims.recompute_claims(dataset(figures, [
        claim(low=10, high=15, group=None, qualifiers=["often"])]))
    assert plain.verdict.kind == "understated"
    assert (often.verdict.kind, often.verdict.reading) == (
        "consistent only under another reading",
        "the figures as printed, in 1 of its 2 comparisons")


def test_a_premium_in_a_table_shows_the_interval_its_figures_allow():
    closed = claims.make_premium(figure("mle", 130_000), figure("swe", 100_000))
    floor = claims.make_premium(figure("mle", 130_000, qualifiers=("open_ended",)),
                                figure("swe", 100_000))
    assert text.premium_interval_words(closed) == "+30% [+28.9% to +31.2%]"  # ±$500 each
    assert text.premium_interval_words(floor) == "+30% or more [+28.9% to +31.2%, or more]"
