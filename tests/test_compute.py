"""Stage 3: premiums and claim recomputation, from small inline figures."""

import pytest

from conftest import build


def figure(role, value=None, low=None, high=None, stat="median", group="g", source="s",
           qualifiers=()):
    return build.Figure(source=source, role=role, dimension="experience", group=group,
                        level=None, measure="total_comp", unit="usd_per_year", stat=stat,
                        value=value, low=low, high=high, qualifiers=qualifiers, scope=None,
                        as_stated="x")


def claim(premium="ml_over_swe", value=None, low=None, high=None, group="g", stat="median"):
    return build.Claim(id="c", source="s", dimension="experience", group=group, scope=None,
                       measure="total_comp", stat=stat, premium=premium, value=value, low=low,
                       high=high, qualifiers=(), headline=False, as_stated="x")


def dataset(figures, claims):
    return build.Dataset(sources={}, roles={}, ladder={}, level_maps={}, cities={},
                         measures={}, group_kinds={}, figures=tuple(figures),
                         claims=tuple(claims))


@pytest.mark.parametrize("ml, swe, expected", [
    (figure("mle", 130), figure("swe", 100), 30.0),
    (figure("mle", low=130, high=170, stat="range"), figure("swe", low=120, high=160,
                                                             stat="range"), 150 / 140 * 100 - 100),
    (figure("mle", 100), figure("swe", 125), -20.0),
])
def test_ml_premium_uses_values_or_midpoints(ml, swe, expected):
    assert build.ml_premium(ml, swe) == pytest.approx(expected)


def test_premiums_prefer_the_median_over_a_range_for_the_same_group():
    figures = [figure("mle", 170), figure("swe", 130),
               figure("mle", low=150, high=190, stat="range"),
               figure("swe", low=110, high=161, stat="range")]
    [premium] = build.premiums(figures, "experience")
    assert premium.percent == pytest.approx(170 / 130 * 100 - 100)
    assert premium.formula == "ratio of the two medians"


def test_premiums_need_both_roles():
    assert build.premiums([figure("mle", 170)], "experience") == []


@pytest.mark.parametrize("stated, verdict", [
    (dict(value=31), "consistent"),            # recomputed 30.77
    (dict(value=32.7), "consistent"),          # 1.93 points off
    (dict(value=33), "not consistent"),        # 2.23 points off
    (dict(low=15, high=20), "not consistent"),
    (dict(low=29, high=35), "consistent"),
    (dict(value=28), "not consistent"),
])
def test_verdict_allows_two_points_either_side(stated, verdict):
    data = dataset([figure("mle", 170), figure("swe", 130)], [claim(**stated)])
    [result] = build.recompute_claims(data)
    assert result.low == pytest.approx(30.769, abs=1e-3)
    assert result.verdict == verdict


def test_claim_without_group_spans_every_group():
    figures = [figure("mle", 110, group="a"), figure("swe", 100, group="a"),
               figure("mle", 120, group="b"), figure("swe", 100, group="b")]
    [result] = build.recompute_claims(dataset(figures, [claim(low=10, high=15, group=None)]))
    assert (round(result.low, 6), round(result.high, 6)) == (10.0, 20.0)
    assert result.verdict == "not consistent"


def test_swe_over_ml_claim_is_recomputed_the_other_way():
    figures = [figure("mle", 100), figure("swe", 167)]
    [result] = build.recompute_claims(dataset(figures, [claim("swe_over_ml", value=67)]))
    assert result.low == pytest.approx(67.0)
    assert result.verdict == "consistent"
    assert build.stated_as_ml_premium(result.claim) == pytest.approx((100 / 167 * 100 - 100,) * 2)


@pytest.mark.parametrize("fig, text", [
    (figure("mle", 130000), "$130,000"),
    (figure("mle", low=280000, high=350000, qualifiers=("open_ended",)), "$280,000 – $350,000+"),
    (figure("mle", 182500, qualifiers=("approximate",)), "~$182,500"),
    (figure("mle", 476000, qualifiers=("at_least",)), "over $476,000"),
])
def test_format_figure_keeps_qualifiers(fig, text):
    assert build.format_figure(fig, "usd_per_year") == text


@pytest.mark.parametrize("low, high, text", [
    (30.769, 30.769, "+30.8%"), (-38.04, -38.04, "-38.0%"), (7.14, 8.7, "+7.1% to +8.7%")])
def test_format_percent(low, high, text):
    assert build.format_percent(low, high) == text
