"""Vocabulary: the words data files may use (statistics, units, qualifiers, formulas).

Schemas, loading, recomputation and wording all read these tables; nothing here imports
another module of the package.
"""

from __future__ import annotations


QUALIFIERS = {
    "approximate": "the source writes ~ or 'about'",
    "open_ended": "the upper figure is 'or more' (written with a trailing +)",
    "at_least": "the source says the figure is exceeded",
}


# A claim may also say "often" or "in many cases": about several groups, it may hold in some.
CLAIM_QUALIFIERS = {**QUALIFIERS, "often": "the claim says 'often': it may hold in some of "
                                           "its groups only"}


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


# How a claim is recomputed from two figures a and b (see `claims.apply_formula`).
FORMULAS = {
    "premium": "how much more a is than b, in percent: (a / b - 1) x 100",
    "dip": "how much less a is than b, in percent: (1 - a / b) x 100",
    "share": "a as a percent of b: a / b x 100",
    "difference": "a minus b, in the figures' unit",
}


# The usual claim, "ML engineers earn N% more", is a premium of one role over the other.
PREMIUMS = {"ml_over_swe": ("mle", "swe"), "swe_over_ml": ("swe", "mle")}


# Why a claim cannot be tested: an untestable reason starts with one of these and a colon.
UNTESTABLE_REASONS = {
    "no figure": "the source gives no figure that bears on it",
    "cause": "it states a cause, which no figure can show",
    "forecast": "it is about the future",
    "opinion": "it is a judgement or an opinion",
    "over time": "it is about a change over time, and the source gives one snapshot",
    "method": "it describes how the source worked, not a figure",
}


# Which part of a range a claim reads: its midpoint unless the claim says otherwise.
POINTS = {"center": "midpoint", "low": "bottom", "high": "top"}


# The dimensions whose figures pair ML with SWE pay, in the order a source's premiums are read
# from: its level table when it has one, else its city or whole-sample figures (the home
# page's answer and the comparator both read them).
PAIR_DIMENSIONS = ("experience", "location", "distribution")


# The chart kinds a page may declare in its front matter, for any dimension, with no Python
# (paysite/charts/general.py draws them).
GENERAL_KINDS = {
    "figures": "ML and SWE figures by group, as the sources state them: ranges and points",
    "premiums": "the ML premium by group, recomputed from each source's figures, beside the "
                "premiums the sources state",
    "counts": "counts and shares by group and role, as bars",
}
