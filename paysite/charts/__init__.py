"""Charts: every chart kind, registered by name in `CHART_MAKERS` when its module is imported.

Importing this package imports Altair (a quarter of a second), so the pipeline imports it
only when some page names a chart. A chart kind is one function in the module for what it
draws (`stated`: figures as spans and points; `premiums`: recomputed against stated;
`counts`: bars; `ranks`: rank grids), decorated with `@chart_kind(name, title)`.
"""

from . import counts, premiums, ranks, stated  # noqa: F401  (each registers its kinds)
from .base import CHART_MAKERS, Table
from .draw import Chart, RenderCache, make_charts

__all__ = ["CHART_MAKERS", "Chart", "RenderCache", "Table", "make_charts"]
