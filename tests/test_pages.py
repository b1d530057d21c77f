"""Stage 4: content pages, their front matter and their Markdown."""

import pytest

from paysite import charts, errors, load, pages


def page_problems(paths, name, text):
    (paths.content_dir / name).write_text(text, encoding="utf-8")
    data = load.load_data(paths.data_dir)
    with pytest.raises(errors.BuildError) as caught:
        pages.load_pages(paths.content_dir, data)
    return [str(p) for p in caught.value.problems]


def test_pages_load_in_navigation_order(small_site):
    data = load.load_data(small_site.data_dir)
    loaded = pages.load_pages(small_site.content_dir, data)
    assert [(p.slug, p.order, p.template) for p in loaded] == [
        ("index", 0, "home"), ("experience", 1, "page")]
    assert loaded[1].body_html == "<p>Some <em>commentary</em>.</p>"


@pytest.mark.parametrize("text, message", [
    ("no front matter\n", "content/bad.md:1:1: a page must start with front matter between "
                          "two '---' lines"),
    ("---\ntitle: T\nsummary: S\n---\n", "content/bad.md:2:1: missing required field 'order'"),
    ("---\ntitle: T\nsummary: S\norder: first\n---\n",
     "content/bad.md:4:8: order: expected integer, got text 'first'"),
    ("---\ntitle: T\nsummary: S\norder: 1\ndimension: equity\n---\n",
     "content/bad.md:5:12: unknown dimension 'equity' (known: experience, location)"),
    ("---\ntitle: T\nsummary: S\norder: 1\nlayout: wide\n---\n",
     "content/bad.md:5:1: unknown field 'layout' (allowed: aliases, charts, dimension, nav, "
     "nav_title, order, slug, summary, template, ties, title)"),
    ("---\n- a list\n---\n", "content/bad.md:2:1: front matter must be a mapping (key: value)"),
    ("---\ntitle: T\nsummary: S\norder: 1\ncharts: [pay_by_level, pay_by_level]\n---\n",
     "content/bad.md:5:24: charts: item 2 repeats an item above it; list each once"),
    ("---\ntitle: T\nsummary: S\norder: 1\ncharts: [12]\n---\n",
     "content/bad.md:5:10: expected text or a mapping (key: value), got a number 12"),
    ("---\ntitle: T\nsummary: S\norder: 1\nslug: ../../etc\n---\n",
     "content/bad.md:5:7: slug: '../../etc' does not have the expected form "
     "(pattern ^[a-z0-9][a-z0-9_-]*$)"),
    ("---\ntitle: [unclosed\n---\n", "content/bad.md:2:8: YAML: the list opened here with "
                                     "'[': expected ',' or ']', but got '<stream end>' at line "
                                     "3, column 1"),
])
def test_bad_front_matter_is_located(small_site, text, message):
    assert page_problems(small_site, "bad.md", text) == [message]


def test_unknown_chart_name_is_located_at_the_chart_stage(small_site):
    (small_site.content_dir / "bad.md").write_text(
        "---\ntitle: T\nsummary: S\norder: 1\ncharts: [pay_by_level, pie]\n---\n",
        encoding="utf-8")
    data = load.load_data(small_site.data_dir)
    loaded = pages.load_pages(small_site.content_dir, data)
    assert [str(p) for p in pages.chart_name_problems(loaded, charts.KINDS)] == [
        "content/bad.md:5:24: unknown chart 'pie' (known: "
        f"{', '.join(sorted(charts.KINDS))})"]


def test_duplicate_slug_names_both_files(small_site):
    text = "---\ntitle: T\nsummary: S\norder: 5\nslug: experience\n---\n"
    assert page_problems(small_site, "again.md", text) == [
        "content/experience.md:1:1: slug 'experience' is already used by content/again.md"]


def test_an_alias_that_is_another_pages_address_is_located(small_site):
    text = "---\ntitle: T\nsummary: S\norder: 5\naliases: [old-t, experience]\n---\n"
    assert page_problems(small_site, "again.md", text) == [
        "content/again.md:5:18: alias 'experience' is already the address of "
        "content/experience.md"]


def test_an_alias_keeps_an_old_address_working_by_a_redirect_page(small_site):
    from paysite import pipeline
    page = small_site.content_dir / "experience.md"
    page.write_text(page.read_text().replace("order: 1\n", "order: 1\naliases: [levels]\n"))
    pipeline.build(small_site)
    html = (small_site.site_dir / "levels.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=experience.html">' in html
    assert '<a href="experience.html">Experience</a> is now at' in html


def test_file_name_that_is_not_a_slug(small_site):
    text = "---\ntitle: T\nsummary: S\norder: 5\n---\n"
    assert page_problems(small_site, "Bad Name.md", text) == [
        "content/Bad Name.md:1:1: file name 'Bad Name' is not a valid page slug: use "
        "lower-case letters, digits, - and _"]


@pytest.mark.parametrize("markdown, html", [
    ("<script>alert(1)</script>", ""),
    ("<img src=x onerror=alert(1)>", "<p></p>"),
    ("[link](javascript:alert(1))", "<p><a>link</a></p>"),
    ("<iframe src=x></iframe>", ""),
    ("[ok](location.html)", '<p><a href="location.html">ok</a></p>'),
    ("[the article](https://example.org/a)",
     '<p><a href="https://example.org/a" rel="noopener" class="outside">the article</a></p>'),
    ("<https://example.org>", '<p><a href="https://example.org" rel="noopener" '
                              'class="outside">https://example.org</a></p>'),
    ("[x](data:text/html,hi)", "<p><a>x</a></p>"),
    ("{{ 7*7 }}", "<p>{{ 7*7 }}</p>"),
    ("| a | b |\n|---|---|\n| 1 | 2 |",
     "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
     "<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>"),
])
def test_markdown_is_sanitised(markdown, html):
    assert pages.render_markdown(markdown) == html


def test_every_kind_of_link_is_found_where_it_is_written():
    text = ("---\ntitle: T\n---\n[first]: <https://a.example>\n"
            "An ![image](b.png \"title\") and [a link](c.html), <mailto:d@example.org>,\n"
            "[two\nlines](e.html) and [ref][first].\n   [second]: f.html\n"
            "    [code]: g.html\n[1\\]: see [the claims](claims.html)\n")
    body = text.index("[first]")
    assert [(link.target, link.line, link.column, link.image)
            for link in pages.markdown_links(text, body)] == [
        ("https://a.example", 4, 11, False), ("b.png", 5, 13, True),
        ("c.html", 5, 41, False), ("mailto:d@example.org", 5, 51, False),
        ("e.html", 7, 8, False), ("f.html", 8, 14, False),  # not [ref][first], not code
        ("claims.html", 10, 24, False)]  # a link, not a definition of "see"


def test_placeholders_become_the_numbers_data_holds(small_site):
    (small_site.content_dir / "count.md").write_text(
        '---\ntitle: "{{ sources | Words }} sources"\nsummary: S.\norder: 3\n---\n'
        "{{ sources }} sources, {{ figures }} figures, {{claims|words}} claim and "
        "{{ dimensions | words }} dimensions.\n", encoding="utf-8")
    data = load.load_data(small_site.data_dir)
    page = {p.slug: p for p in pages.load_pages(small_site.content_dir, data)}["count"]
    assert page.title == "Two sources" and page.nav_title == "Two sources"
    assert page.body_html == "<p>2 sources, 6 figures, one claim and two dimensions.</p>"


def test_unknown_placeholder_is_located(small_site):
    text = "---\ntitle: T\nsummary: S\norder: 3\n---\nWe have {{ pages }} pages.\n"
    assert page_problems(small_site, "count.md", text) == [
        "content/count.md:6:9: unknown placeholder '{{ pages }}' (known: {{ claims }}, "
        "{{ dimensions }}, {{ figures }}, {{ sources }}; add | words or | Words to spell the "
        "number)"]
