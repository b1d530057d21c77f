"""Pages: each content/*.md file split into checked front matter and sanitised HTML.

Chart names in front matter are checked later, at the chart stage (`chart_name_problems`),
against the chart kinds the chart package registers and the charts pages declare from its
general kinds (`Declared`): a site with no charts never imports Altair.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path
from typing import Iterable, Iterator

import markdown
import nh3
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension

from .errors import (BuildError, Problem, display_path, outside_link_problem,
                     unknown)
from .model import Dataset
from .schemas import FRONT_MATTER, SLUG, schema_problems
from .ties import Tie
from .yamlfile import Located, parse_yaml, read_text


def markdown_extensions() -> list[markdown.Extension]:
    """Tables, lists as written, and an id on each heading (the toc extension, with no [TOC]
    marker, which skips a walk of every page, and no levels in a table of contents no page
    shows). Given as objects: named, each would be looked up among the installed packages'
    entry points, once a process.

    No typographic rewriting: commentary is written with the characters themselves
    (’ “ ” – …). The smarty extension would slow Markdown for what an editor can type."""
    return [TableExtension(), SaneListExtension(), TocExtension(marker="", toc_depth=0)]


ALLOWED_TAGS = {"a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li",
                "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
                "thead", "tr", "ul"}


ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "h2": {"id"}, "h3": {"id"},
                      "h4": {"id"}, "td": {"align"}, "th": {"align"}}


@dataclasses.dataclass(frozen=True)
class Declared:
    """A chart declared in front matter from a general kind (paysite/charts/general.py):
    one dimension's figures, premiums, or counts and shares, optionally one measure and one
    statistic of them, under a name of the editor's choosing."""

    name: str
    kind: str
    dimension: str
    title: str
    measure: str | None = None
    statistic: str | None = None
    where: tuple[int, int] = dataclasses.field(default=(1, 1), compare=False, repr=False)


@dataclasses.dataclass(frozen=True)
class Page:
    """One Markdown page with its checked front matter."""

    slug: str
    src_path: Path
    title: str
    summary: str
    order: int
    dimension: str | None
    charts: tuple[str, ...]
    chart_marks: tuple[tuple[int, int], ...]  # (line, column) of each chart name
    template: str
    nav: bool
    nav_title: str
    body_html: str
    links: tuple[Link, ...] = ()  # every link in the Markdown, checked once all pages exist
    aliases: tuple[str, ...] = ()  # old slugs whose addresses redirect here
    alias_marks: tuple[tuple[int, int], ...] = ()  # (line, column) of each alias
    ties: tuple[Tie, ...] = ()  # sentences tied to the values they restate (ties.py)
    body_text: str = ""  # the Markdown below the front matter, as written
    body_line: int = 1  # the file's line where body_text starts

    declared: tuple[Declared, ...] = ()  # charts this page declares from a general kind

    @property
    def out_name(self) -> str:
        """The page's file name inside site/."""
        return f"{self.slug}.html"


# {{ name }} in a page's text or title becomes a number the build knows; {{ name | words }}
# spells it ("four"), {{ name | Words }} with a capital ("Four"). Nothing else is evaluated:
# content stays Markdown.
PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
PLACEHOLDER_FORM = re.compile(r"\s*([a-z_]+)\s*(?:\|\s*(words|Words)\s*)?")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                "seventeen", "eighteen", "nineteen", "twenty")


def page_numbers(data: Dataset) -> dict[str, int]:
    """The numbers a page may name as placeholders."""
    return {"sources": len(data.sources), "figures": len(data.figures),
            "claims": len(data.claims), "dimensions": len(data.group_kinds)}


def load_pages(content_dir: Path, data: Dataset) -> tuple[Page, ...]:
    """Read every content/*.md page, checking front matter, slugs and placeholders against
    what data/ holds (its dimensions, its counts)."""
    if not content_dir.is_dir():
        raise BuildError([Problem(display_path(content_dir), 1, 1, "content folder not found")])
    paths, problems = [], []
    for path in sorted(content_dir.glob("*.md")):
        outside = outside_link_problem(path, content_dir)
        problems += [outside] if outside else []
        paths += [] if outside else [path]
    dimensions, numbers, pages = tuple(data.group_kinds), page_numbers(data), []
    for path in paths:
        try:
            pages.append(read_page(path, dimensions, numbers))
        except BuildError as error:
            problems.extend(error.problems)
    problems += slug_problems(pages)
    if not pages and not problems:
        problems.append(Problem(display_path(content_dir), 1, 1, "no pages (*.md) found"))
    if problems:
        raise BuildError(problems)
    return tuple(sorted(pages, key=lambda p: (p.order, p.slug)))


def read_page(path: Path, dimensions: Iterable[str], numbers: dict[str, int]) -> Page:
    """Split a page into front matter and body, and check both (dimensions: the known ones;
    numbers: what placeholders stand for)."""
    text = read_text(path)
    problems = placeholder_problems(text, path, numbers)
    if problems:
        raise BuildError(problems)
    match = re.match(r"---[ \t]*\n(.*?\n)?---[ \t]*\n", text, re.S)
    if not match:
        raise BuildError([Problem(display_path(path), 1, 1, "a page must start with front "
                                  "matter between two '---' lines")])
    doc, slug = front_matter(match.group(1) or "", path, dimensions)
    links = markdown_links(text, match.end())
    problems = [Problem(display_path(path), link.line, link.column, message)
                for link in links if (message := link_refusal(link))]
    if problems:
        raise BuildError(problems)
    meta, body, entries = doc.value, text[match.end():], doc.value.get("charts", ())
    def fill(text: str) -> str:
        return fill_placeholders(text, numbers)
    declared = {i: Declared(**dict(entry, title=fill(entry["title"])),
                            where=doc.where(("charts", i, "name")))
                for i, entry in enumerate(entries) if isinstance(entry, dict)}
    charts = tuple(declared[i].name if i in declared else entry
                   for i, entry in enumerate(entries))
    return Page(slug=slug, src_path=path, title=fill(meta["title"]),
                summary=fill(meta["summary"]), order=meta["order"],
                dimension=meta.get("dimension"), charts=charts,
                chart_marks=tuple(declared[i].where if i in declared else doc.where(("charts", i))
                                  for i in range(len(charts))),
                declared=tuple(declared.values()),
                template=meta.get("template", "page"), nav=meta.get("nav", True),
                nav_title=fill(meta.get("nav_title", meta["title"])),
                body_html=render_markdown(fill(body)), links=links,
                aliases=tuple(meta.get("aliases", ())),
                alias_marks=tuple(doc.where(("aliases", i))
                                  for i in range(len(meta.get("aliases", ())))),
                ties=read_ties(doc), body_text=body,
                body_line=text[:match.end()].count("\n") + 1)


TIE_FIELDS = ("chart", "column", "claim", "verdict", "against", "rule")  # each optional
TIE_FORMS = ({"chart", "column", "values"}, {"claim", "verdict"}, {"claim", "verdict", "against"},
             {"rule"})


def tie_form_problems(doc: Located) -> list[Problem]:
    """A tie names a chart, its column and the values, or a claim and its verdict."""
    return [doc.problem(("ties", i), "a tie gives says: and either chart:, column: and "
                                     "values:, or claim: and verdict: (and against:), or rule:")
            for i, entry in enumerate(doc.value.get("ties", ()))
            if set(entry) - {"says"} not in TIE_FORMS]


def read_ties(doc: Located) -> tuple[Tie, ...]:
    """The page's ties (front matter `ties:`), each with where it stands."""
    ties = []
    for i, entry in enumerate(doc.value.get("ties", ())):
        line, column = doc.where(("ties", i))
        ties.append(Tie(line=line, column_at=column, says=entry["says"],
                        values=tuple(entry.get("values", ())),
                        **{key: entry.get(key) for key in TIE_FIELDS}))
    return tuple(ties)


def front_matter(text: str, path: Path, dimensions: Iterable[str]) -> tuple[Located, str]:
    """Parse and check a page's front matter; return it and the page's slug."""
    doc = parse_yaml(text, path, first_line=2)
    if not isinstance(doc.value, dict):
        raise BuildError([doc.problem((), "front matter must be a mapping (key: value)")])
    problems = schema_problems(doc, FRONT_MATTER)
    meta = doc.value
    if not problems:
        problems += dimension_problems(doc, dimensions)
    if not problems:
        problems += tie_form_problems(doc)
    slug = meta.get("slug", path.stem) if not problems else path.stem
    if not problems and not re.fullmatch(SLUG["pattern"], slug):
        problems.append(Problem(display_path(path), 1, 1, f"file name {path.stem!r} is not "
                                "a valid page slug: use lower-case letters, digits, - and _"))
    if problems:
        raise BuildError(problems)
    return doc, slug


def dimension_problems(doc: Located, dimensions: Iterable[str]) -> list[Problem]:
    """Refuse a dimension, of the page or of a chart it declares, that no data file has."""
    named = [(("dimension",), doc.value.get("dimension"))]
    named += [(("charts", i, "dimension"), entry["dimension"])
              for i, entry in enumerate(doc.value.get("charts", ())) if isinstance(entry, dict)]
    return [doc.problem(keys, unknown("dimension", name, dimensions))
            for keys, name in named if name and name not in dimensions]


@dataclasses.dataclass(frozen=True)
class Link:
    """A link or image in a page's Markdown, where the editor wrote it."""

    target: str
    line: int
    column: int
    image: bool


def inline_link(group: str) -> str:
    """An inline link, `[text](target "title")`, its target in a group that `group` opens
    ("?P<name>" to name it, "?:" for none)."""
    return r"\[(?:[^\]\\]|\\.)*\]\(\s*<?(" + group + r"[^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)"


# Images, inline links, autolinks, and reference definitions (from the newline before the
# line: an inline link at the start of the line is taken first, as Markdown does), each with
# one named group. Code is not told apart: commentary here has none, and a false find is
# reported, never silently dropped. Every alternative begins with one character ('!', '[',
# '<' or a newline), so the regex engine skips straight to the next such character instead of
# trying each position in turn.
MARKDOWN_LINK = re.compile(
    "!" + inline_link("?P<image>") + "|" + inline_link("?P<inline>")
    + r"|<(?P<auto>[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]+)>"
    + r"|\n(?!" + inline_link("?:") + r")[ ]{0,3}\[[^\]]+\]:[ \t]*<?(?P<reference>[^>\s]+)>?")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
OUTSIDE_SCHEMES = ("http", "https", "mailto")


def markdown_links(text: str, body_start: int) -> tuple[Link, ...]:
    """Every link target in the body, with its line and column in the file (the body starts
    on a line of its own, after the front matter's closing line)."""
    links = []
    # From the newline before the body: a definition on its first line starts with it.
    for match in MARKDOWN_LINK.finditer(text, body_start - 1):
        name = match.lastgroup
        before = text[:match.start(name)]
        links.append(Link(match.group(name), before.count("\n") + 1,
                          match.start(name) - before.rfind("\n"), name == "image"))
    return tuple(links)


def link_refusal(link: Link) -> str | None:
    """Why a link cannot be published as written, or None."""
    if link.image:
        return ("images are not published (the sanitiser would drop this one); describe it "
                "in words or link to it")
    scheme = SCHEME.match(link.target)
    if scheme and scheme.group(1).lower() not in OUTSIDE_SCHEMES:
        return (f"a {scheme.group(1)}: link is not allowed (only http, https and mailto, or a "
                f"page of this site)")
    return None


def placeholder_problems(text: str, path: Path, numbers: dict[str, int]) -> list[Problem]:
    """Locate every {{ ... }} that is not a known number with an optional spelling."""
    problems = []
    for match in PLACEHOLDER.finditer(text):
        form = PLACEHOLDER_FORM.fullmatch(match.group(1))
        if form and form.group(1) in numbers:
            continue
        before = text[:match.start()]
        problems.append(Problem(
            display_path(path), before.count("\n") + 1, match.start() - before.rfind("\n"),
            f"unknown placeholder {match.group()!r} (known: "
            f"{', '.join('{{ ' + name + ' }}' for name in sorted(numbers))}; add | words or "
            f"| Words to spell the number)"))
    return problems


def fill_placeholders(text: str, numbers: dict[str, int]) -> str:
    """Put the numbers in; placeholder_problems has checked every placeholder."""
    def number(match: re.Match) -> str:
        name, spelling = PLACEHOLDER_FORM.fullmatch(match.group(1)).groups()
        value = numbers[name]
        if not spelling or value >= len(NUMBER_WORDS):
            return str(value)
        word = NUMBER_WORDS[value]
        return word.capitalize() if spelling == "Words" else word
    return PLACEHOLDER.sub(number, text)


@functools.cache
def markdown_converter() -> markdown.Markdown:
    """One converter for every page (reset between pages): setting one up costs more than
    a short page."""
    return markdown.Markdown(extensions=markdown_extensions(), output_format="html")


def slug_problems(pages: list[Page]) -> list[Problem]:
    """Refuse two pages that would write the same file, and reserved names."""
    problems, seen = [], {}
    for page in pages:
        if page.slug in seen:
            problems.append(Problem(display_path(page.src_path), 1, 1,
                                    f"slug {page.slug!r} is already used by "
                                    f"{display_path(seen[page.slug])}"))
        seen.setdefault(page.slug, page.src_path)
    aliased: dict[str, Path] = {}
    for page in pages:
        for alias, (line, column) in zip(page.aliases, page.alias_marks):
            if alias in seen or alias in aliased:
                taken = (f"the address of {display_path(seen[alias])}" if alias in seen
                         else f"an alias in {display_path(aliased[alias])}")
                problems.append(Problem(display_path(page.src_path), line, column,
                                        f"alias {alias!r} is already {taken}"))
            aliased.setdefault(alias, page.src_path)
    if "index" not in seen and pages:
        problems.append(Problem(display_path(pages[0].src_path.parent), 1, 1,
                                "no home page: add index.md"))
    return problems


def render_markdown(text: str) -> str:
    """Turn Markdown into HTML, keeping only an allow-list of tags and attributes."""
    html = markdown_converter().reset().convert(text)
    html = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=set(OUTSIDE_SCHEMES), link_rel=None)
    # Links to other sites open no window handle back to this one, and look different.
    return re.sub(r'<a href="(https?://[^"]*)"', r'<a href="\1" rel="noopener" class="outside"',
                  html)


def chart_mentions(pages: Iterable[Page]) -> Iterator[tuple[str, Problem]]:
    """Each chart name a page's front matter gives, with a problem located where it is
    written (its message empty, for the caller to word)."""
    for page in pages:
        for name, (line, column) in zip(page.charts, page.chart_marks):
            yield name, Problem(display_path(page.src_path), line, column, "")


def chart_name_problems(pages: Iterable[Page], known: Iterable[str]) -> list[Problem]:
    """Refuse chart names in front matter that no chart kind answers to."""
    known = sorted(known)
    return [dataclasses.replace(where, message=unknown("chart", name, known))
            for name, where in chart_mentions(pages) if name not in known]
