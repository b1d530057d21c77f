"""Drawing: each chart's Altair spec and table made from the data, then drawn at each layout
width (paysite/layouts.py), once per distinct spec (cached on disk).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from ..claims import Recomputed
from ..drawing import Chart
from ..layouts import RenderCache, render_specs
from ..model import Dataset
from .base import KINDS, ChartDataError, ChartFailures


def spec_of(chart) -> dict:
    """A chart's Vega-Lite spec. Altair's check of the spec against the Vega-Lite schema
    takes more time than building the spec; the test suite runs it for every chart kind
    (tests/test_charts_valid.py), so the build does not."""
    return chart.to_dict(validate=False)


def make_charts(names: Iterable[str], data: Dataset, audit: tuple[Recomputed, ...],
                fonts_dir: Path, cache: RenderCache, jobs: int = 1) -> dict[str, Chart]:
    """Build each named chart once: spec and table here, SVG from the cache or rendered."""
    made, failures = {}, {}
    for name in sorted(set(names)):
        try:
            drawn = KINDS[name].make(data, audit)
            made[name] = (KINDS[name].title, drawn.description, spec_of(drawn.chart),
                          drawn.table)
        except ChartDataError as error:
            failures[name] = str(error)
        except Exception as error:  # a bug in a chart kind: one message, not a traceback
            failures[name] = (f"could not be drawn from this data ({type(error).__name__}: "
                              f"{error}); this is a bug in the chart's code: please report it")
    if failures:
        raise ChartFailures(failures)
    texts = {name: json.dumps(spec, sort_keys=True, allow_nan=False)
             for name, (_, _, spec, _) in made.items()}
    keys = {name: cache.key(text) for name, text in texts.items()}
    found = {name: cache.get(key) for name, key in keys.items()}
    missing = [name for name in made if found[name] is None]
    for name, rendered in zip(missing, render_specs([texts[n] for n in missing], fonts_dir,
                                                    jobs)):
        cache.put(keys[name], rendered.encode("utf-8"))
        found[name] = json.loads(rendered)
    return {name: Chart(name, title, description, spec, found[name]["vega"],
                        tuple(found[name]["svgs"]), table, tuple(found[name]["plots"]))
            for name, (title, description, spec, table) in made.items()}
