"""The comparator: every pair of ML and SWE figures a source gives, filtered by the reader's
level, place and kind of employer through selects bound to Vega-Lite parameters (no script of
our own). Sources rarely cross level with place, so no pair is invented: a combination no
source covers says so.
"""

from __future__ import annotations

import itertools

import altair as alt

from ..claims import Premium, order_premiums, premiums
from ..model import Dataset
from ..text import compared_pair, premium_words, role_word, short_measure
from ..vocabulary import PAIR_DIMENSIONS, STATS
from .base import Drawn, Table, chart_kind
from .encodings import (ladder_names, line_step, lines_axis, nominal_tooltip, place_names,
                        sources_note, wrap_label)
from .theme import KIND_COLORS, RECOMPUTED

ANY = {"level": "Any level", "place": "Any place", "employer": "Any employer"}
CHOSEN = ("(level == 'Any level' || datum.level == level) && "
          "(place == 'Any place' || datum.place == place) && "
          "(employer == 'Any employer' || datum.employer == employer)")


@chart_kind("comparator", "Compare your situation: level, place and kind of employer",
            reads=PAIR_DIMENSIONS)
def comparator(data: Dataset, audit) -> Drawn:
    """Each source's premium for the level, place and employer the reader picks."""
    found = [p for d in PAIR_DIMENSIONS for p in order_premiums(data, premiums(data.figures, d))]
    rows = [pair_row(data, p) for p in found]
    places = {row["place"] for row in rows}
    choices = {"level": ladder_names(data),
               "place": [name for name in place_names(data) if name in places],
               "employer": list(dict.fromkeys(row["employer"] for row in rows))}
    params = [alt.param(name=field, value=ANY[field], bind=alt.binding_select(
        options=[ANY[field], *options], name=f"{field.capitalize()}: "))
        for field, options in choices.items()]
    chart = premium_bars(rows)
    note = alt.Chart(alt.Data(values=coverage(rows, choices))).transform_filter(
        "datum.level == level && datum.place == place && datum.employer == employer"
    ).mark_text(align="left", fontSize=12, limit=330).encode(
        text=alt.Text("message", type="nominal"), x=alt.XValue(0), y=alt.YValue(8)
    ).properties(height=16)
    caption = (f"Every pair of ML and SWE figures the sources give, with the premium recomputed "
               f"from it; pick a level, a place and a kind of employer to keep the matching "
               f"pairs. {sources_note(data, (p.source for p in found))}")
    # resize: the view re-lays itself out when the choice changes how many bars there are.
    view = alt.vconcat(note, chart).add_params(*params).properties(
        autosize=alt.AutoSizeParams(type="pad", resize=True))
    return Drawn(view, comparator_table(rows, caption),
                 "Bars show the ML premium over SWE pay in every figure pair that matches the "
                 "level, place and kind of employer chosen above the chart.")


def premium_bars(rows: list[dict]) -> alt.LayerChart:
    """A bar per chosen pair, its premium written past the bar's end (left of a negative
    bar, right of a positive one)."""
    bars = alt.Chart(alt.Data(values=rows)).transform_filter(CHOSEN).encode(
        y=alt.Y("label", type="nominal", title=None, sort=[r["label"] for r in rows],
                axis=lines_axis()),
        # padding: room, in px, for the figure written past the longest bars
        x=alt.X("premium", type="quantitative", title="ML premium over SWE (%)",
                scale=alt.Scale(padding=48)),
        tooltip=nominal_tooltip(source="Source", employer="Kind of employer",
                                what="Measure", figures="Figures", premium_words="ML premium"))
    text = alt.Text("premium_text", type="nominal")
    return alt.layer(
        bars.mark_bar(color=KIND_COLORS[RECOMPUTED], height=10),
        bars.transform_filter("isValid(datum.premium) && datum.premium >= 0").mark_text(
            align="left", dx=4, fontSize=12).encode(text=text),
        bars.transform_filter("isValid(datum.premium) && datum.premium < 0").mark_text(
            align="right", dx=-4, fontSize=12).encode(text=text),
        # A pair open at both ends has no bar: its words stand at zero.
        bars.transform_filter("!isValid(datum.premium)").mark_text(
            align="left", dx=4, fontSize=12).encode(text=text, x=alt.XDatum(0)),
    ).properties(height=line_step(row["label"] for row in rows))


def pair_row(data: Dataset, premium: Premium) -> dict:
    """One source's pair of figures: where it applies, what it measures, the premium."""
    source = data.sources[premium.source]
    level = data.ladder[premium.level]["name"] if premium.level else None
    place = data.cities[premium.group]["name"] if premium.group in data.cities else None
    where = level or place or "whole sample"
    return {"source": source["short"], "employer": source.get("employer", source["short"]),
            "level": level, "place": place,
            "label": wrap_label(f"{source['short']}: {where} "
                                f"({short_measure(data, premium.ml.measure).lower()})"
                                f"{compared_words(data, premium.source)}", 24),
            "what": f"{short_measure(data, premium.ml.measure)}, {STATS[premium.ml.stat]}",
            "figures": compared_pair(premium),
            "premium": None if premium.result.undetermined else round(premium.percent, 1),
            # On the chart, short enough to fit a phone; the table and tooltip say why.
            "premium_text": "any value" if premium.result.undetermined
            else premium_words(premium), "premium_words": premium_words(premium)}


def coverage(rows: list[dict], choices: dict[str, list[str]]) -> list[dict]:
    """For every combination the selects allow, how many pairs match, in words."""
    covered = []
    for level, place, employer in itertools.product(
            *([ANY[field], *choices[field]] for field in ("level", "place", "employer"))):
        matching = [r for r in rows if level in (ANY["level"], r["level"])
                    and place in (ANY["place"], r["place"])
                    and employer in (ANY["employer"], r["employer"])]
        sources = len({r["source"] for r in matching})
        message = (f"{plural(len(matching), 'pair')} of figures, from "
                   f"{plural(sources, 'source')}" if matching
                   else "No source covers this combination.")
        covered.append({"level": level, "place": place, "employer": employer,
                        "message": message})
    return covered


def compared_words(data: Dataset, source: str) -> str:
    """", vs AI Software Engineer" for a source whose software engineers are not the site's
    (the job board compares with AI software engineers), so that its bar on the ML-over-SWE
    axis says so; "" for the others."""
    swe = role_word(data, "swe", source)
    return "" if swe.lower() == data.roles["swe"]["name"].lower() else f", vs {swe}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def comparator_table(rows: list[dict], caption: str) -> Table:
    """Every pair, the full table of combinations a reader without JavaScript can scan."""
    return Table(caption, ("Source", "Kind of employer", "Level", "Place", "Measure",
                           "Figures", "ML premium"),
                 tuple((r["source"], r["employer"], r["level"] or "any", r["place"] or "any",
                        r["what"], r["figures"], r["premium_words"]) for r in rows))
