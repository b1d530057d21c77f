"""The single-file edition: every page of the site as a section of one HTML file, with the
charts (build-time SVG and interactive view), the tables, the claims audit and the sources.
Its scripts and styles are inline, allowed by their hashes in the file's own
Content-Security-Policy; opened from disk it makes no request of any kind.

It is made from the rendered pages (their <main>), so it always shows what the site shows.
Links between pages become links to sections; ids are made unique by the page's slug; links
to downloads point to the published files beside it (it lives in downloads/).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from .pages import Page
from .render import EDITION_NAME, download_path, make_environment, template_problem

EDITION = download_path(EDITION_NAME, "html")
MAIN_START, MAIN_END = b'<main id="main">\n', b"</main>"
# The attributes that name an id, and links: one pass over each page (most of whose bytes are
# SVG), each only after white space, as an attribute is (so not data-id or xlink:href). The
# white space is matched, not looked behind for: the regex engine then skips straight to the
# next white space instead of trying every position (a third faster).
ATTRIBUTES = re.compile(r'(\s)(id|for|aria-labelledby|aria-describedby|href)="([^"]*)"')
SCRIPTS = ("assets/vega.min.js", "assets/vega-extras.js", "assets/site.js")


def edition_file(pages: tuple[Page, ...], files: dict[str, bytes], site: dict[str, str],
                 templates_dir: Path) -> dict[str, bytes]:
    """The single-file edition, made from the rendered pages and assets."""
    nav = [page for page in pages if page.nav]
    slugs = {page.out_name: page.slug for page in nav}
    # Each page's section is made as the template reaches it, and the file is encoded as it
    # is written: the whole edition is never held as text.
    sections = ({"slug": page.slug,
                 "html": Markup(section_html(page, page_main(files[page.out_name]), slugs))}
                for page in nav)
    env = make_environment(templates_dir)
    out = io.BytesIO()
    try:
        for chunk in env.get_template("edition.html").generate(
                site_title=site["title"], updated=site["updated"], sections=sections,
                contents=[{"slug": page.slug, "title": page.title} for page in nav],
                style=files["assets/site.css"].decode(),
                scripts=[files[name].decode() for name in SCRIPTS]):
            out.write(chunk.encode("utf-8"))
    except jinja2.TemplateError as error:
        raise template_problem(error, templates_dir) from error
    return {EDITION: out.getvalue()}


def page_main(html: bytes) -> str:
    """What a rendered page's <main> holds: found in the bytes, and only it decoded (the
    navigation before it links every page)."""
    return html[html.index(MAIN_START) + len(MAIN_START):html.rindex(MAIN_END)].decode()


def section_html(page: Page, main: str, slugs: dict[str, str]) -> str:
    """One page's <main>, with its ids made unique and its links pointing inside the file."""
    main = main.replace("<h1>", '<h1 id="title">', 1)
    def rewritten(match: re.Match) -> str:
        space, attribute, value = match.groups()
        return f'{space}{attribute}="{edition_value(attribute, value, page, slugs)}"'
    return ATTRIBUTES.sub(rewritten, main)


def edition_value(attribute: str, value: str, page: Page, slugs: dict[str, str]) -> str:
    """An id-naming attribute's ids made unique by the page's slug, or a link's target."""
    if attribute == "href":
        return edition_href(value, page, slugs)
    return " ".join(f"{page.slug}--{name}" for name in value.split())


def edition_href(href: str, page: Page, slugs: dict[str, str]) -> str:
    """Where a link of one page leads inside the edition (or beside it, for downloads)."""
    if re.match(r"[a-z]+:", href):
        return href  # another site, or mail
    path, _, fragment = href.partition("#")
    if not path:
        return f"#{page.slug}--{fragment}"
    if path in slugs:
        return f"#{slugs[path]}--{fragment}" if fragment else f"#{slugs[path]}"
    return path.removeprefix("downloads/")  # the edition sits in downloads/, beside them
