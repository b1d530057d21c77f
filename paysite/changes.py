"""The "what changed" page for reviewers: the review diff as one HTML file, with every chart
whose data changed drawn before and after, side by side (the build-time SVGs of both
revisions). It goes into a pull request's preview, never into the published site.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import nh3
from markupsafe import Markup

from .affected import charts_moved
from .diff import diff_markdown
from .pages import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, markdown_converter
from .pipeline import Paths
from .render import make_environment, template_problem
from .revisions import Revision, compared


def review(paths: Paths, ref: str | None, html: Path | None) -> str:
    """The review diff as Markdown; with `html`, also the page, written there."""
    old, new, ref, templates = compared(paths, ref)
    moved = charts_moved(old, new)
    markdown = diff_markdown(old, new, ref, templates, moved)
    if html:
        html.write_text(changes_page(paths, old, new, ref, markdown, moved), encoding="utf-8")
    return markdown


def changes_page(paths: Paths, old: Revision, new: Revision, ref: str, markdown: str,
                 moved: set[str]) -> str:
    """The page: the diff's tables, the changed words marked, and the moved charts drawn."""
    from . import svg
    from .charts import kinds_of  # imports Altair: charts are drawn on this page
    svg.start(paths.templates_dir / "fonts")
    old_kinds, kinds = kinds_of(old.pages), kinds_of(new.pages)
    pairs = [{"name": name, "title": kinds[name].title,
              "pages": ", ".join(p.out_name for p in new.pages if name in p.charts),
              "before": drawn_svg(old, old_kinds.get(name)), "after": drawn_svg(new, kinds[name])}
             for name in sorted(moved)]
    env = make_environment(paths.templates_dir)
    try:
        return env.get_template("changes.html").render(
            ref=ref[:12], body=diff_html(markdown), pairs=pairs)
    except jinja2.TemplateError as error:
        raise template_problem(error, paths.templates_dir) from error


def drawn_svg(side: Revision, kind) -> Markup | None:
    """One chart kind as that revision's data draws it (None when that data cannot make it,
    or the chart is declared only on the other side)."""
    from . import svg
    from .charts import ChartDataError
    from .charts.draw import chart_data, made_chart
    if kind is None:
        return None
    try:
        _, _, spec, _ = made_chart(kind, *chart_data(kind, side.data, side.audit))
    except ChartDataError:
        return None
    return Markup(svg.draw(spec)["svgs"][-1])


def diff_html(text: str) -> Markup:
    """The diff's Markdown as sanitised HTML; removed words struck through, added ones marked."""
    text = re.sub(r"~~(.+?)~~", r"<del>\1</del>", text)
    text = re.sub(r"\*\*(.+?)\*\* ", r"<ins>\1</ins> ", text)
    html = markdown_converter().reset().convert(text)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS | {"del", "ins"},
                            attributes=ALLOWED_ATTRIBUTES, link_rel=None))
