"""Drawing: each chart's Altair spec and table made from the data, then drawn at each layout
width (paysite/layouts.py), once per distinct spec (cached on disk).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Iterable

import altair as alt

from ..claims import Recomputed, recompute_claims
from ..drawing import Chart
from ..layouts import RenderCache, drawing
from ..model import Dataset
from .base import KINDS, ChartDataError, ChartFailures, ChartKind


def spec_of(chart) -> dict:
    """A chart's Vega-Lite spec. Altair's check of the spec against the Vega-Lite schema
    takes more time than building the spec; the test suite runs it for every chart kind
    (tests/test_incremental.py), so the build does not."""
    return chart.to_dict(validate=False)


def unchecked():
    """Altair checks each part of a chart against the schema as it is made (its debug mode),
    about a fifth of the time the specs take; the build turns that off while it makes them,
    for the reason `spec_of` gives. The specs are the same."""
    return alt.utils.schemapi.debug_mode(False)


# The parts of a chart that are never changed once made, by the chart kinds or by Altair:
# axes, scales, headers, titles, marks, and a chart's encoding with the channels in it (Altair
# makes a new encoding, and a new mark, for each change, and already shares the channels
# between a chart and the charts made from it). A channel on its own is not one of them:
# Altair's property setters (`alt.X(...).axis(...)`) and conditions copy a channel and change
# the copy.
SHARED_PARTS = (alt.Axis, alt.Scale, alt.Header, alt.TitleParams, alt.MarkDef,
                alt.FacetedEncoding)


def same_part(part, memo=None):
    """A part's copy: the part itself (see `parts_shared`)."""
    return part


@contextlib.contextmanager
def parts_shared():
    """Altair copies a chart whole, every layer and each part of every layer, at each step
    that makes one chart from another (layering, faceting, setting a property) and three
    more times to write its spec: half the time the specs take. While the build makes them,
    the parts in SHARED_PARTS are copied as Python copies a tuple, by reference, through the
    `__deepcopy__` Altair's copy asks each part for. Every spec is the same as with whole
    copies (tests/test_incremental.py makes each chart kind's spec both ways). Only the
    build's own thread makes specs (the live preview's server threads never do)."""
    own = {part: vars(part).get("__deepcopy__") for part in SHARED_PARTS}
    for part in SHARED_PARTS:
        part.__deepcopy__ = same_part
    try:
        yield
    finally:
        for part, copier in own.items():  # each as it was
            if copier is None:
                del part.__deepcopy__
            else:
                part.__deepcopy__ = copier


def make_charts(names: Iterable[str], data: Dataset, audit: tuple[Recomputed, ...],
                fonts_dir: Path, cache: RenderCache, jobs: int = 1) -> dict[str, Chart]:
    """Build each named chart once: spec and table here; its drawings from the cache, or
    drawn (by the renderers started for this build, while the next spec is made)."""
    made, failures, keys, found, missing = {}, {}, {}, {}, []
    inputs = chart_inputs(sorted(set(names)), data, audit)
    with drawing(fonts_dir, jobs) as batch:
        for name in inputs:
            try:
                made[name] = made_chart(name, *inputs[name])
            except ChartFailures as failure:
                failures.update(failure.reasons)
                continue
            text = json.dumps(made[name][2], sort_keys=True, allow_nan=False)
            keys[name] = cache.key(text)
            found[name] = cache.get(keys[name])
            if found[name] is None and not failures:  # after a failure, nothing more is drawn
                missing.append(name)
                batch.add(text)
        if failures:
            raise ChartFailures(failures)
        for name, rendered in zip(missing, batch.results()):
            cache.put(keys[name], rendered.encode("utf-8"))
            found[name] = json.loads(rendered)
    return {name: Chart(name, title, description, spec, found[name]["vega"],
                        tuple(found[name]["svgs"]), table, tuple(found[name]["plots"]))
            for name, (title, description, spec, table) in made.items()}


def chart_inputs(names: list[str], data: Dataset,
                 audit: tuple[Recomputed, ...]) -> dict[str, tuple]:
    """Each named chart kind's part of the data and claims (`chart_data`), each distinct
    part made once (seven kinds read the experience figures alone)."""
    parts, inputs = {}, {}
    for name in names:
        kind = KINDS[name]
        if (kind.reads, kind.measures) not in parts:
            parts[kind.reads, kind.measures] = chart_data(kind, data, audit)
        inputs[name] = parts[kind.reads, kind.measures]
    return inputs


def chart_data(kind: ChartKind, data: Dataset,
               audit: tuple[Recomputed, ...]) -> tuple[Dataset, tuple[Recomputed, ...]]:
    """The part of the data set a chart kind reads, and the claims recomputed from it."""
    if kind.reads is None:
        return data, audit
    part = data.part(kind.reads, kind.measures)
    return part, recompute_claims(part)


def made_chart(name: str, data: Dataset, audit: tuple[Recomputed, ...]) -> tuple:
    """One chart kind's title, description, spec and table, or ChartFailures naming it."""
    try:
        with unchecked(), parts_shared():
            drawn = KINDS[name].make(data, audit)
            return KINDS[name].title, drawn.description, spec_of(drawn.chart), drawn.table
    except ChartDataError as error:
        raise ChartFailures({name: str(error)}) from error
    except Exception as error:  # a bug in a chart kind: one message, not a traceback
        raise ChartFailures({name: (
            f"could not be drawn from this data ({type(error).__name__}: {error}); this is "
            f"a bug in the chart's code: please report it")}) from error
