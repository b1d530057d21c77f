"""The chart theme: fonts, sizes, colours and axis style, set once for every chart.

Importing this module registers and enables the theme in Altair.
"""

from __future__ import annotations

import altair as alt


RECOMPUTED, STATED = "Recomputed from its figures", "Stated by the source"


ROLE_COLORS = {"ML engineer": "#0072B2", "Software engineer": "#C0392B",
               "AI software engineer": "#CC79A7"}  # the job board's own role


ANY_ROLE_COLORS = {**ROLE_COLORS, "Either role": "#6B7280",  # figures about neither role
                   "All AI listings": "#9CA3AF"}


KIND_COLORS = {STATED: "#8C96A3", RECOMPUTED: "#1F2937"}


SOURCE_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]  # one per source, colour-blind safe
MARK_STROKE = "#111827"  # outline of points, and the midpoint tick
QUALIFIER_MARK = "#1F2937"  # open ends and rings of approximate figures (light in dark mode)
ZERO_RULE = "#6b7280"  # the rule at 0 behind premium charts
STATED_GAIN = "#D1D5DB"  # the band of a stated gain behind recomputed points
# consistent, consistent only under another reading, possible not shown, overstated,
# understated, contradicted, not testable (Okabe-Ito, in readings.VERDICTS order)
VERDICT_COLORS = ["#009E73", "#56B4E9", "#CC79A7", "#E69F00", "#0072B2", "#D55E00", "#8C96A3"]
RANK_TEXT = {"color": "white", "fontSize": 14, "fontWeight": "bold"}  # the rank in a grid cell
CHART_WIDTH = 220


CHART_FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


def paysite_theme() -> dict:
    """Set fonts, sizes and axis style once for every chart."""
    return {"config": {
        # Liberation Sans has Arial's and Helvetica's metrics: labels measured at build time
        # fit when a reader's browser draws them in any of the three.
        "font": CHART_FONT,
        # The chart is one image to assistive technology (its figure carries the text
        # alternative, its table the numbers); per-mark ARIA roles without labels fail axe.
        "aria": False, "mark": {"aria": False},
        # No label is ever cut with "…" (a limit of 0 is none): long labels are wrapped into
        # lines where the chart is made (encodings.wrap_label).
        # Transparent, so the page's light or dark background shows through.
        "background": "transparent",
        # The plot's width; the build sets it for each layout width (paysite/svg.py).
        "view": {"stroke": None, "continuousWidth": CHART_WIDTH, "discreteWidth": CHART_WIDTH},
        # Labels closer than 6 px are thinned out (where the axis may drop some), so they
        # never touch on a phone: "$200k$300k" reads as one number.
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1f2937",
                 "labelSeparation": 6,
                 "titleColor": "#1f2937", "gridColor": "#e5e7eb", "domainColor": "#6b7280",
                 "tickColor": "#6b7280", "labelLimit": 0},
        "header": {"labelFontSize": 13, "labelFontWeight": "bold", "labelColor": "#111827",
                   "labelAngle": 0, "labelAlign": "left", "labelAnchor": "start",
                   "labelOrient": "top", "title": None, "labelLimit": 0},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "top",
                   "direction": "vertical",
                   "labelColor": "#1f2937", "titleColor": "#1f2937", "labelLimit": 0,
                   # Legends stack rather than sit side by side, so a phone has room for them.
                   "layout": {"top": {"direction": "vertical", "anchor": "start"}}},
        "title": {"fontSize": 14, "color": "#111827", "anchor": "start"},
    }}


alt.theme.register("paysite", enable=True)(paysite_theme)
