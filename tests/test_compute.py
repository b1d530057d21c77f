"""Stage 3: premiums and claim recomputation, from small inline figures."""

import pytest

from paysite import claims, load, model, text


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


@pytest.mark.parametrize("stated, verdict", [
    (dict(value=31), "consistent"),            # recomputed 30.77
    (dict(value=33), "consistent"),            # ratio 1.33 / 1.3077 = 1.017, within 1.02
    (dict(value=33.5), "contradicted"),        # ratio 1.0212
    (dict(low=15, high=20), "contradicted"),
    (dict(low=29, high=35), "consistent"),
    (dict(value=28.3), "consistent"),          # ratio 1.3077 / 1.283 = 1.0193
    (dict(value=28), "contradicted"),          # ratio 1.0216
])
def test_verdict_allows_a_factor_of_1_02_on_the_ratio(stated, verdict):
    data = dataset([figure("mle", 170), figure("swe", 130)], [claim(**stated)])
    [result] = claims.recompute_claims(data)
    assert result.low == pytest.approx(30.769, abs=1e-3)
    assert result.verdict.kind == verdict


@pytest.mark.parametrize("ml, swe", [(165, 100), (100, 165)])
def test_tolerance_is_the_same_whichever_role_is_on_top(ml, swe):
    """A 67% claim against a 65% result: one miss, whether read as ML over SWE or the reverse."""
    direction = "ml_over_swe" if ml > swe else "swe_over_ml"
    data = dataset([figure("mle", ml), figure("swe", swe)], [claim(direction, value=67)])
    [result] = claims.recompute_claims(data)
    assert result.verdict.kind == "consistent"  # 1.67 / 1.65 = 1.012 either way
    tight = dataset([figure("mle", ml), figure("swe", swe)], [claim(direction, value=70)])
    assert claims.recompute_claims(tight)[0].verdict.kind == "contradicted"  # 1.70 / 1.65


def test_claim_without_group_reads_each_group_and_their_average():
    figures = [figure("mle", 110, group="a"), figure("swe", 100, group="a"),
               figure("mle", 120, group="b"), figure("swe", 100, group="b")]
    [result] = claims.recompute_claims(dataset(figures, [claim(low=14, high=16, group=None)]))
    assert (round(result.low, 6), round(result.high, 6)) == (10.0, 20.0)
    names = [(r.name, r.holds) for r in result.readings]
    assert names == [("the figures as printed, each group on its own", False),
                     ("the figures as printed, average of the groups", True)]
    assert result.verdict.kind == "consistent only under another reading"
    assert result.verdict.reading == "the figures as printed, average of the groups"
    assert [row.kind for row in result.rows] == ["contradicted", "contradicted"]


def test_each_row_gets_its_own_verdict():
    figures = [figure("mle", 110, group="a"), figure("swe", 100, group="a"),
               figure("mle", 130, group="b"), figure("swe", 100, group="b")]
    [result] = claims.recompute_claims(dataset(figures, [claim(low=9, high=11, group=None)]))
    assert [row.kind for row in result.rows] == ["consistent", "contradicted"]
    assert result.verdict.kind == "contradicted"  # the average, +20%, fails too


def test_another_point_of_the_ranges_is_named_when_only_it_holds():
    figures = [figure("mle", low=200, high=260, stat="range"),
               figure("swe", low=150, high=250, stat="range")]   # bottoms +33%, mids +15%
    [result] = claims.recompute_claims(dataset(figures, [claim(stat="range", low=30, high=35)]))
    assert result.verdict.kind == "consistent only under another reading"
    assert result.verdict.reading == "bottoms of the ranges"
    assert result.verdict.words == ("consistent only under another reading "
                                    "(bottoms of the ranges)")
    assert result.rows[0].reading == "bottoms of the ranges"


def test_untestable_claim_says_why_and_is_still_recomputed():
    figures = [figure("mle", 200), figure("swe", 100)]
    [result] = claims.recompute_claims(dataset(figures, [
        claim(value=100, untestable="the figures mix two gaps")]))
    assert result.low == pytest.approx(100.0)  # consistent numbers, yet not judged
    assert (result.verdict.kind, result.verdict.reason) == ("not testable",
                                                            "the figures mix two gaps")
    assert result.verdict.words == "not testable: the figures mix two gaps"
    assert result.rows[0].kind == "not testable"


def test_open_ended_figure_is_read_as_at_least():
    """ML "$200,000 - $260,000+" against SWE $180,000: the midpoint premium is +28% or more."""
    figures = [figure("mle", low=200, high=260, stat="range", qualifiers=("open_ended",)),
               figure("swe", low=180, high=180, stat="range")]
    [result] = claims.recompute_claims(dataset(figures, [claim(stat="range", low=40, high=45)]))
    midpoints = result.readings[0]
    assert (midpoints.low, midpoints.open_above, midpoints.open_below) == (
        pytest.approx(230 / 180 * 100 - 100), True, False)
    assert text.reading_words(result.claim, midpoints) == "+28% or more"
    assert result.verdict.kind == "consistent"  # "or more" reaches 40-45%
    bottoms = next(r for r in result.readings if r.points == ("low", "low"))
    assert (bottoms.open_above, bottoms.holds) == (False, False)  # the bottom is exact


def test_open_ended_software_figure_caps_the_premium():
    figures = [figure("mle", 300), figure("swe", 250, qualifiers=("open_ended",))]
    above, below = claims.recompute_claims(dataset(figures, [claim(value=25), claim(value=15)]))
    assert (above.readings[0].open_below, above.readings[0].open_above) == (True, False)
    assert text.reading_words(above.claim, above.readings[0]) == "+20% or less"
    assert (above.verdict.kind, below.verdict.kind) == ("contradicted", "consistent")
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
    figures = [figure("mle", 200, group="remote"), figure("mle", 250, group="hub"),
               figure("swe", 150, group="remote"), figure("swe", 200, group="hub"),
               figure("swe", 999, group="elsewhere")]
    dip = claim(None, group=None, formula="dip", a={"group": "remote"}, b={"group": "hub"},
                low=10, high=15)
    [result] = claims.recompute_claims(dataset(figures, [dip]))
    assert [(c.a.role, c.b.role) for c in result.comparisons] == [("mle", "mle"), ("swe", "swe")]
    assert (result.low, result.high) == pytest.approx((20.0, 25.0))
    assert result.verdict.kind == "contradicted"


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
