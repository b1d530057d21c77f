"""Links: every link an editor wrote in content/ checked against what the build makes (the
pages, their headings' ids, the downloads and assets), before anything is written. A
broken one is located at its Markdown line, with the nearest target that exists.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from .errors import BuildError, Problem, did_you_mean, display_path
from .pages import Link, Page

ID = re.compile(r'\sid="([^"]+)"')


def check_links(pages: tuple[Page, ...], files: dict[str, bytes]) -> None:
    """Stop with one located problem per link that leads nowhere in the built site."""
    # Only the pages a link names an #anchor in are searched for ids (not the 1 MB edition).
    targets = {target(link, page) for page in pages for link in page.links}
    anchors = {path: set(ID.findall(files[path].decode("utf-8"))) for path, fragment in targets
               if fragment and path.endswith(".html") and path in files}
    problems = [Problem(display_path(page.src_path), link.line, link.column, message)
                for page in pages for link in page.links
                if (message := link_problem(link, page, files, anchors))]
    if problems:
        raise BuildError(problems)


def link_problem(link: Link, page: Page, files: dict[str, bytes],
                 anchors: dict[str, set[str]]) -> str | None:
    """Why a link leads nowhere, or None when its file (and #anchor) exist."""
    parts = urlsplit(link.target)
    if parts.scheme or parts.netloc:
        return None  # another site, or mail: checked when read (pages.link_refusal)
    path, fragment = target(link, page)
    if path not in files:
        return f"link to {path!r}, which the build does not make{did_you_mean(path, files)}"
    if fragment and path.endswith(".html") and fragment not in anchors[path]:
        return (f"link to '#{fragment}', which {path} does not have"
                f"{did_you_mean(fragment, anchors[path], '#')}")
    return None


def target(link: Link, page: Page) -> tuple[str, str]:
    """The site file a link names (its own page for a bare #anchor), and its anchor."""
    parts = urlsplit(link.target)
    return unquote(parts.path).removeprefix("./") or page.out_name, parts.fragment
