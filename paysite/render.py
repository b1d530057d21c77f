"""Render: every page through its Jinja2 template, each chart's files, the data downloads
and the assets, as a map of site-relative path to bytes. Nothing is written here.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import traceback
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .claims import Recomputed
from .errors import BuildError, Problem, display_path
from .model import Chart, Dataset, source_counts
from .pages import Page
from .serialise import csv_text, inline_json, spec_json
from .answer import answer
from .structured import claim_reviews, dataset
from .text import findings, open_words, role_word
from .worded_verdicts import WordResult, word_findings



def make_environment(templates_dir: Path) -> jinja2.Environment:
    """A strict, autoescaping Jinja2 environment for one templates folder."""
    return environment(Path(templates_dir).resolve())


# One per templates folder in a process: the live preview compiles each template once, not
# on every save (Jinja compiles a template again when its file changes).
@functools.cache
def environment(templates_dir: Path) -> jinja2.Environment:
    """make_environment's environment, made once per folder."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined, autoescape=True, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["csp_hash"] = csp_hash
    env.globals["download_path"] = download_path
    return env


def csp_hash(text: str) -> Markup:
    """The Content-Security-Policy source that allows one inline script with exactly this
    text: 'sha256-<base64 digest>'."""
    digest = base64.b64encode(hashlib.sha256(str(text).encode("utf-8")).digest()).decode()
    return Markup(f"'sha256-{digest}'")


def render_site(pages: tuple[Page, ...], charts: dict[str, Chart], data: Dataset,
                audit: tuple[Recomputed, ...], words: tuple[WordResult, ...],
                templates_dir: Path) -> dict[str, bytes]:
    """Render every page and chart file into a map of site-relative path to bytes."""
    env = make_environment(templates_dir)
    files: dict[str, bytes] = {}
    nav = [page for page in pages if page.nav]
    shared = site_context(nav, data, audit, words)
    nav_links = NavLinks(nav)
    described = structured_data(pages, data, audit, words)
    for page in pages:
        context = {**shared, **page_context(page, nav_links, charts),
                   "structured_data": described.get(page.slug)}
        try:
            html = env.get_template(f"{page.template}.html").render(context)
        except jinja2.TemplateError as error:
            raise template_problem(error, templates_dir) from error
        files[page.out_name] = html.encode("utf-8")
        files.update(redirect_files(env, page, shared["site_title"], templates_dir))
        for name in page.charts:
            files.update(chart_files(page, charts[name]))
    files.update(dataset_files(data, audit))
    files.update(asset_files(templates_dir))
    return files


def redirect_files(env: jinja2.Environment, page: Page, site_title: str,
                   templates_dir: Path) -> dict[str, bytes]:
    """A small page at each of a page's old addresses (aliases:) that sends readers on."""
    try:
        return {f"{alias}.html": env.get_template("redirect.html").render(
                    target=page.out_name, title=page.title, site_title=site_title
                ).encode("utf-8") for alias in page.aliases}
    except jinja2.TemplateError as error:
        raise template_problem(error, templates_dir) from error


def structured_data(pages: tuple[Page, ...], data: Dataset, audit: tuple[Recomputed, ...],
                    words: tuple[WordResult, ...]) -> dict[str, Markup]:
    """JSON-LD by page: the claims audit's page reviews every claim; the home page describes
    the downloads as a Dataset."""
    found = {}
    audit_page = next((p for p in pages if "claims_audit" in p.charts), None)
    if audit_page:
        found[audit_page.slug] = inline_json(claim_reviews(data, audit, words,
                                                           audit_page.out_name))
    downloads = [download_path(name, suffix) for name in DATASET_FILES
                 for suffix in TABLE_SUFFIXES] + [download_path(EDITION_NAME, "html")]
    downloads += [download_path(name, suffix, page.slug) for page in pages
                  for name in page.charts for suffix in CHART_SUFFIXES]
    found["index"] = inline_json(dataset(data, downloads))
    return found


EDITION_NAME = "ml-vs-swe-pay"  # the single-file edition: downloads/ml-vs-swe-pay.html
DATASET_FILES = ("figures", "claims")  # the whole data set: downloads/<name>.<suffix>
TABLE_SUFFIXES = ("csv", "json")  # a table's two downloads
CHART_SUFFIXES = ("vl.json", *TABLE_SUFFIXES)  # a chart's: its spec, then its table


def download_path(name: str, suffix: str, page: str | None = None) -> str:
    """Where a download lives in site/, and so its link from any page (pages sit at the
    root): the whole data set as downloads/<name>.<suffix>, a chart's spec and table as
    downloads/<page>/<chart>.<suffix>. The only place that makes these paths."""
    return f"downloads/{page}/{name}.{suffix}" if page else f"downloads/{name}.{suffix}"


def chart_files(page: Page, chart: Chart) -> dict[str, bytes]:
    """A chart's Vega-Lite spec and its table as CSV and JSON, in its page's download folder."""
    rows = [dict(zip(chart.table.columns, row)) for row in chart.table.rows]
    def path(suffix: str) -> str:
        return download_path(chart.name, suffix, page.slug)
    return {path("vl.json"): spec_json(chart.spec).encode("utf-8"),
            path("csv"): csv_text(chart.table.columns, chart.table.rows).encode("utf-8"),
            path("json"): spec_json(
                {"title": chart.title, "caption": chart.table.caption, "rows": rows}
            ).encode("utf-8")}


FIGURE_COLUMNS = ("source", "role", "dimension", "group", "level", "measure", "statistic",
                  "value", "low", "high", "unit", "qualifiers", "scope", "as_stated")


CLAIM_COLUMNS = ("id", "source", "dimension", "measure", "statistic", "formula", "stated_low",
                 "stated_high", "unit", "qualifiers", "recomputed_low", "recomputed_high",
                 "recomputed_open", "interval_low", "interval_high", "verdict", "reading",
                 "caveat", "as_stated")


def dataset_files(data: Dataset, audit: tuple[Recomputed, ...]) -> dict[str, bytes]:
    """The whole data set, one row per observation, and every claim with its verdict."""
    figures = [(f.source, f.role, f.dimension, f.group, f.level, f.measure, f.stat, f.value,
                f.low, f.high, f.unit, ";".join(f.qualifiers), f.scope, f.as_stated)
               for f in data.figures]
    claims = [(r.claim.id, r.claim.source, r.claim.dimension, r.claim.measure, r.claim.stat,
               r.claim.formula, *r.claim.stated, r.claim.unit, ";".join(r.claim.qualifiers),
               round(r.low, 2), round(r.high, 2), open_words(r.readings[0], "").lstrip(", "),
               *(round(n, 2) for n in r.readings[0].interval), r.verdict.kind,
               "; ".join(filter(None, (r.verdict.reading, r.verdict.reason))),
               r.claim.caveat or "", r.claim.as_stated)
              for r in audit]
    files = {}
    for name, columns, rows in (("figures", FIGURE_COLUMNS, figures),
                                ("claims", CLAIM_COLUMNS, claims)):
        files[download_path(name, "csv")] = csv_text(columns, rows).encode("utf-8")
        files[download_path(name, "json")] = spec_json(
            [dict(zip(columns, row)) for row in rows]).encode("utf-8")
    return files


def template_problem(error: jinja2.TemplateError, templates_dir: Path) -> BuildError:
    """Locate a template error for the person editing templates/."""
    path, line = templates_dir, 1
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        path, line = Path(error.filename), error.lineno
    else:
        # Jinja rewrites tracebacks so that template frames carry the template's own lines.
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename.endswith(".html"):
                path, line = Path(frame.filename), frame.lineno
    message = f"template: {error.message}"
    if isinstance(error, jinja2.UndefinedError):  # a name the template uses and no one gives
        message += (" (a template may use only the values paysite/render.py gives it: "
                    "site_context and page_context)")
    return BuildError([Problem(display_path(path), line, 1, message)])


def site_context(nav: list[Page], data: Dataset, audit: tuple[Recomputed, ...],
                 words: tuple[WordResult, ...]) -> dict:
    """What every page's template may use, computed once per build."""
    return {
        "site_title": data.site["title"],
        "updated": data.site["updated"],
        "licence": data.site.get("licence"),
        "dimension_pages": [p for p in nav if p.slug != "index"],
        "findings": findings(data, audit),
        "word_findings": word_findings(words),
        "answer": answer(data),
        "audit_href": next((p.out_name for p in nav if "claims_audit" in p.charts), None),
        "compare_href": next((p.out_name for p in nav if "comparator" in p.charts), None),
        "sources": list(data.sources.values()),
        "roles": data.roles,
        "ladder": data.ladder,
        "level_maps": data.level_maps,
        "counts": source_counts(data, data.figures),
        "claim_counts": source_counts(data, data.claims),
        "word_counts": source_counts(data, data.words),
        "size_words": data.size_words,
        "role_words": {source: {role: role_word(data, role, source) for role in ("mle", "swe")}
                       for source in data.sources},
    }


class NavLinks:
    """The navigation list's HTML, made once: with many pages, a loop per page costs
    pages x pages. A page gets the same list with its own entry marked as current."""

    def __init__(self, nav: list[Page]):
        self.slugs = {p.slug: i for i, p in enumerate(nav)}
        self.items = [self.item(p, "") for p in nav]
        self.current = [self.item(p, ' aria-current="page"') for p in nav]

    @staticmethod
    def item(page: Page, current: str) -> str:
        return (f'      <li><a href="{escape(page.out_name)}"{current}>'
                f'{escape(page.nav_title)}</a></li>\n')

    def html(self, page: Page) -> Markup:
        i = self.slugs.get(page.slug)
        if i is None:
            return Markup("".join(self.items))
        return Markup("".join(self.items[:i]) + self.current[i] + "".join(self.items[i + 1:]))


def page_context(page: Page, nav_links: NavLinks, charts: dict[str, Chart]) -> dict:
    """What one page's template needs beyond the site-wide values."""
    return {
        "page": page,
        "body": Markup(page.body_html),
        "nav_html": nav_links.html(page),
        "charts": [{"name": name, "id": f"chart-{name.replace('_', '-')}",
                    "title": charts[name].title, "description": charts[name].description,
                    "svgs": [Markup(svg) for svg in charts[name].svgs],
                    "plots": charts[name].plots, "plot_signals": charts[name].plot_signals,
                    "spec": inline_json(charts[name].vega_spec),
                    "table": charts[name].table}
                   for name in page.charts],
    }


def asset_files(templates_dir: Path) -> dict[str, bytes]:
    """The stylesheet, the chart loader and the Vega runtime, all shipped inside site/.

    The runtime is Vega's own browser build plus its expression interpreter and tooltip
    handler (templates/assets/vega*.js, remade by `make vega-runtime`). Specs are compiled to
    Vega at build time, so pages need neither Vega-Lite nor vega-embed: 184 KB gzipped
    against 317 KB for vl-convert's bundle of all three. vl-convert cannot make the smaller
    one: its bundler refuses a snippet that imports `vega`.
    """
    return {f"assets/{path.name}": path.read_bytes()
            for path in sorted((templates_dir / "assets").glob("*")) if path.is_file()}
