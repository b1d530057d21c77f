"""The whole pipeline from the command line: outputs, failures, determinism, the real site."""

import contextlib
import csv
import dataclasses
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_build, snapshot
from paysite import errors, pipeline, write


class Links(HTMLParser):
    """Collect src/href attributes per tag, and ids."""

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.refs.append((tag, name, value))
            if name == "id":
                self.ids.append(value)


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def test_small_site_builds(small_site):
    result = run_build(small_site)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"built 2 pages, 2 charts, 19 files into site in "
                        r"\d+\.\d\d s\n",
                        result.stdout)
    assert sorted(snapshot(small_site.site_dir)) == [
        ".nojekyll", "assets/site.css", "assets/site.js", "assets/vega-LICENSE.txt",
        "assets/vega-extras.js", "assets/vega.min.js",
        "downloads/claims.csv", "downloads/claims.json",
        "downloads/experience/pay_by_level.csv", "downloads/experience/pay_by_level.json",
        "downloads/experience/pay_by_level.vl.json",
        "downloads/experience/premium_by_level.csv",
        "downloads/experience/premium_by_level.json",
        "downloads/experience/premium_by_level.vl.json",
        "downloads/figures.csv", "downloads/figures.json", "downloads/ml-vs-swe-pay.html",
        "experience.html", "index.html"]
    assert not list(Path(".").glob(".site.*"))


def test_downloads_hold_every_figure_and_each_chart_table(small_site):
    assert run_build(small_site).returncode == 0
    site = small_site.site_dir
    with open(site / "downloads/figures.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6  # every observation of the small site, one row each
    assert rows[0] == {"source": "alpha", "role": "mle", "dimension": "experience",
                       "group": "Junior", "level": "entry", "measure": "total_comp",
                       "statistic": "median", "value": "150000", "low": "", "high": "",
                       "unit": "usd_per_year", "qualifiers": "", "scope": "",
                       "as_stated": "$150,000"}
    claims = json.loads((site / "downloads/claims.json").read_text(encoding="utf-8"))
    assert [(c["id"], c["verdict"]) for c in claims] == [("alpha-junior", "consistent")]
    charts = site / "downloads/experience"
    table = json.loads((charts / "pay_by_level.json").read_text(encoding="utf-8"))
    with open(charts / "pay_by_level.csv", newline="", encoding="utf-8") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert len(csv_rows) == 4 and csv_rows == table["rows"]
    html = (site / "experience.html").read_text(encoding="utf-8")
    links = [value for _, _, value in links_of(html).refs]
    assert {"downloads/experience/pay_by_level.csv", "downloads/experience/pay_by_level.json",
            "downloads/figures.csv", "downloads/claims.json"} <= set(links)


def test_site_root_holds_only_pages_and_two_folders(real_site):
    names = {path.name for path in real_site.iterdir()}
    assert {name for name in names if not name.endswith(".html")} == {
        ".nojekyll", "assets", "downloads"}
    assert "404.html" in names


def test_quiet_prints_nothing(small_site):
    result = run_build(small_site, "--quiet")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def run_alone(command: list[str], stdout, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run a command in a session of its own, its output buffered as in a pipe (no
    PYTHONUNBUFFERED), stdout to `stdout` and stderr to a file, so that a process it leaves
    behind cannot hold the test up. Returns its status, its stderr, and the processes of its
    session still running 5 s after it ended (then killed)."""
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=buffered, cwd=cwd,
                                   start_new_session=True)
        try:
            status = process.wait(timeout=120)
            for _ in range(50):
                left = subprocess.run(["ps", "-o", "pid=,args=", "-s", str(process.pid)],
                                      capture_output=True, text=True).stdout.strip()
                if not left:
                    break
                time.sleep(0.1)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        stderr.seek(0)
        return status, stderr.read(), left


BUILD_SMALL_SITE = [sys.executable, str(ROOT / "build.py"), "--data", "data", "--content",
                    "content", "--templates", "templates", "--out", "site", "--no-cache"]


def test_the_command_ends_with_its_output_and_no_process_left(small_site, tmp_path):
    """build.py's buffered output is written whole, and it leaves no process behind."""
    with open(tmp_path / "out.txt", "w+") as stdout:
        status, stderr, left = run_alone(BUILD_SMALL_SITE, stdout)
        stdout.seek(0)
        assert (status, stderr, left) == (0, "", "")
        assert re.fullmatch(r"built 2 pages, 2 charts, \d+ files into site in .*\n",
                            stdout.read())


def test_output_that_cannot_be_written_is_an_error(small_site):
    with open("/dev/full", "w") as full:
        status, stderr, left = run_alone(BUILD_SMALL_SITE, full)
    assert (status, left) == (errors.EXIT_OUTPUT_LOST, "")
    assert stderr == "the output could not be written: [Errno 28] No space left on device\n"


def test_mistake_reports_location_and_leaves_site_untouched(small_site):
    assert run_build(small_site).returncode == 0
    before = snapshot(small_site.site_dir)
    path = small_site.data_dir / "experience.yaml"
    path.write_text(path.read_text().replace("role: mle, group: Junior",
                                             "role: pm, group: Junior"), encoding="utf-8")
    result = run_build(small_site)
    assert result.returncode == 1
    assert result.stderr == ("data/experience.yaml:4:27: unknown role 'pm' (known: mle, swe)\n"
                             "build failed: 1 problem(s); site was not changed\n")
    assert snapshot(small_site.site_dir) == before
    assert not list(Path(".").glob(".site.*"))


def test_yaml_syntax_error_has_no_traceback(small_site):
    (small_site.data_dir / "cities.yaml").write_text("cities:\n  - {id: x\n", encoding="utf-8")
    result = run_build(small_site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("data/cities.yaml:2:5: YAML: the mapping opened here with "
                                    "'{': expected ',' or '}'")


def test_template_error_is_located(small_site):
    page = small_site.templates_dir / "page.html"
    page.write_text(page.read_text().replace("{{ body }}", "{{ bodyy }}"), encoding="utf-8")
    result = run_build(small_site)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "templates/page.html:6:1: template: 'bodyy' is undefined (a template may use only the "
        "values paysite/render.py gives it: site_context and page_context)")


def test_two_builds_are_byte_identical(small_site, tmp_path):
    first = small_site
    second = pipeline.Paths(small_site.data_dir, small_site.content_dir,
                         small_site.templates_dir, Path("again"))
    assert run_build(first).returncode == 0
    assert run_build(second).returncode == 0
    assert snapshot(first.site_dir) == snapshot(second.site_dir)


def test_leftovers_of_a_killed_build_are_cleaned_up(small_site):
    assert run_build(small_site).returncode == 0
    # A build killed between its two renames leaves site/ missing and the old one aside.
    Path("site").rename(".site.old-4242")
    Path(".site.building-4243").mkdir()
    assert run_build(small_site).returncode == 0
    assert sorted(p.name for p in Path(".").iterdir() if p.name.startswith(".site")) == []
    assert (small_site.site_dir / "index.html").is_file()


@pytest.mark.parametrize("rel_path", ["../escape.html", "/etc/passwd", "a/../../b"])
def test_output_paths_cannot_leave_the_site(tmp_path, rel_path):
    with pytest.raises(errors.BuildError) as caught:
        write.inside(tmp_path, rel_path)
    assert str(caught.value) == f"{rel_path}:1:1: output path escapes the site folder"


def test_help_documents_exit_status():
    result = run_build(pipeline.Paths(Path("d"), Path("c"), Path("t"), Path("s")), "--help")
    assert result.returncode == 0
    assert "exit status: 0 done; 1 an input has mistakes" in result.stdout
    assert "70 a bug in the generator" in result.stdout
    for option in ("--data", "--content", "--templates", "--out", "--quiet"):
        assert option in result.stdout


# --------------------------------------------------------------------------- the real site

def content_pages() -> list[str]:
    return sorted(path.stem for path in (ROOT / "content").glob("*.md"))


def test_every_page_and_required_file_exists(real_site):
    names = set(snapshot(real_site))
    for stem in content_pages():
        assert f"{stem}.html" in names
    for required in ("index.html", "experience.html", "location.html", "sources.html",
                     "404.html", ".nojekyll", "assets/vega.min.js", "assets/vega-extras.js",
                     "assets/vega-LICENSE.txt", "assets/site.js", "assets/site.css",
                     "downloads/figures.csv", "downloads/claims.json"):
        assert required in names


def test_every_chart_has_svg_table_and_spec(real_site):
    charts_seen = 0
    for page in sorted(real_site.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for match in re.finditer(r'<figure class="chart" id="([^"]+)" data-chart="([^"]+)"'
                                 r'(?: data-plot-signals="[^"]+")?>(.*?)</figure>\s*<div class="table-wrap"[^>]*>\s*<table>\s*'
                                 r'<caption[^>]*>([^<]+)</caption>', html, re.S):
            chart_id, name, body, caption = match.groups()
            charts_seen += 1
            assert '<div class="chart-static" role="img" aria-label=' in body
            assert "<svg" in body and "</svg>" in body, f"{page.name}: {chart_id} has no SVG"
            spec_path = f"downloads/{page.stem}/{name}.vl.json"
            spec = json.loads((real_site / spec_path).read_text(encoding="utf-8"))
            assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
            assert f'href="{spec_path}"' in body
            assert "Source" in caption
        assert html.count('<figure class="chart"') == len(re.findall(
            r'<figure class="chart" id="[^"]+" data-chart="[^"]+"( data-plot-signals="[^"]+")?>',
            html))
    assert charts_seen >= 8


def test_no_remote_scripts_styles_or_urls_in_the_loader(real_site):
    for page in sorted(real_site.glob("*.html")):
        for tag, attr, value in links_of(page.read_text(encoding="utf-8")).refs:
            if tag in ("script", "link", "img", "iframe"):
                assert not re.match(r"(https?:)?//", value), f"{page.name}: {tag} {attr}={value}"
    loader = (real_site / "assets" / "site.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://", loader)
    assert not re.search(r"https?://", (real_site / "assets" / "site.css").read_text())


def outside_links_in_data() -> set[str]:
    """The outside addresses data/ records: the sources' references and the data licence."""
    sources = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))
    site = yaml.safe_load((ROOT / "data" / "site.yaml").read_text(encoding="utf-8"))
    return {ref["url"] for s in sources["sources"] for ref in s.get("references", [])
            if "url" in ref} | {site["licence"]["url"]}


def test_every_local_link_names_a_file_in_the_site(real_site):
    for page in sorted(real_site.glob("*.html")):
        for _tag, attr, value in links_of(page.read_text(encoding="utf-8")).refs:
            if value.startswith(("data:", "#")):
                continue
            if value.startswith("https://"):  # a source's reference or the data licence
                assert value in outside_links_in_data(), f"{page.name}: outside link {value}"
                continue
            target = value.split("#")[0]
            assert (real_site / target).is_file(), f"{page.name}: {attr}={value} is missing"


def test_ids_are_unique_on_every_page(real_site):
    for page in sorted(real_site.glob("*.html")):
        ids = links_of(page.read_text(encoding="utf-8")).ids
        assert len(ids) == len(set(ids)), f"{page.name}: duplicate ids"


def test_committed_site_equals_a_fresh_build(real_site):
    committed = snapshot(ROOT / "site")
    fresh = snapshot(real_site)
    assert sorted(committed) == sorted(fresh), "site/ lists other files: run `make site`"
    stale = [name for name in sorted(fresh) if committed[name] != fresh[name]]
    assert stale == [], f"site/ is stale, run `make site` and commit: {stale}"


def test_real_site_builds_identically_twice(real_site, tmp_path):
    again = tmp_path / "site"
    paths = pipeline.Paths(ROOT / "data", ROOT / "content", ROOT / "templates", again)
    assert run_build(paths).returncode == 0
    assert snapshot(again) == snapshot(real_site)


def test_output_that_is_a_file_is_refused(small_site):
    Path("site").write_text("not a folder", encoding="utf-8")
    result = run_build(small_site)
    assert (result.returncode, result.stderr.splitlines()[0]) == (
        1, "site:1:1: the output path is a file, not a folder")
    assert Path("site").read_text(encoding="utf-8") == "not a folder"


def test_folder_not_built_here_is_not_replaced(small_site):
    Path("site").mkdir()
    Path("site/thesis.tex").write_text("years of work", encoding="utf-8")
    result = run_build(small_site)
    assert (result.returncode, result.stderr.splitlines()[0]) == (
        1, "site:1:1: refusing to replace a folder that was not built here (no .nojekyll); "
           "choose an empty or new --out folder")
    assert sorted(p.name for p in Path("site").iterdir()) == ["thesis.tex"]


@pytest.mark.parametrize("flag, message", [
    ("--data", "missing:1:1: data folder not found"),
    ("--content", "missing:1:1: content folder not found"),
])
def test_missing_input_folder(small_site, flag, message):
    result = run_build(small_site, flag, "missing")
    assert (result.returncode, result.stderr.splitlines()[0]) == (1, message)


def test_missing_chart_font_is_an_error(small_site):
    shutil.rmtree(small_site.templates_dir / "fonts")
    result = run_build(small_site)
    assert result.returncode == 1
    assert result.stderr.startswith("templates/fonts:1:1: no chart font (*.ttf) here")


def test_a_new_chart_kind_needs_only_its_function_and_a_page(small_site, monkeypatch):
    """CONTRIBUTING's recipe: one decorated function, one page naming it; nothing else. The
    site was built before with a cache, whose record of what each kind reads (under the same
    code) does not know the new kind."""
    from paysite.charts import KINDS, Drawn, chart_kind
    from paysite.charts.encodings import (figure_row, place_y, range_and_points, select,
                                          sources_note, usd_axis)
    from paysite.charts.tables import figure_table
    small_site = dataclasses.replace(small_site, cache_dir=Path("cache"))
    pipeline.build(small_site)
    monkeypatch.setitem(KINDS, "city_rates", None)  # removed again after the test

    @chart_kind("city_rates", "Pay by city", reads=("location",))
    def city_rates(data, audit) -> Drawn:
        figures = select(data, "location")
        rows = [figure_row(data, f) for f in figures]
        chart = range_and_points(rows, place_y(data), usd_axis())
        caption = f"Pay by city. {sources_note(data, (f.source for f in figures))}"
        return Drawn(chart, figure_table(data, figures, caption, "Place"), "Points mark pay.")

    (small_site.content_dir / "cities.md").write_text(
        "---\ntitle: Cities\nsummary: Pay by city.\norder: 2\ndimension: location\n"
        "charts: [city_rates]\n---\nText.\n", encoding="utf-8")
    summary = pipeline.build(small_site)
    assert (summary.pages, summary.charts) == (3, 3)
    html = (small_site.site_dir / "cities.html").read_text(encoding="utf-8")
    assert 'data-chart="city_rates"' in html and "<svg" in html
    assert 'href="downloads/cities/city_rates.csv"' in html
    rows = (small_site.site_dir / "downloads/cities/city_rates.csv").read_text(encoding="utf-8")
    assert rows.splitlines()[1:] == ["Alpha survey,New York,ML engineer,Total compensation,"
                                     "median,\"$260,000\",\"$260,000\"",
                                     "Alpha survey,New York,Software engineer,Total "
                                     "compensation,median,\"$200,000\",\"$200,000\""]


@pytest.mark.parametrize("reads, measures", [("location", ()), (["location"], ()),
                                             (("location",), "base_salary"), ((1,), ())])
def test_a_chart_kind_must_name_what_it_reads_as_a_tuple_of_names(reads, measures):
    """("location") is the string "location": the chart would still match its dimension by
    substring, while Dataset.part would look for dimensions named by single letters."""
    from paysite.charts import chart_kind
    with pytest.raises(TypeError, match="tuples of names"):
        chart_kind("city_rates", "Pay by city", reads=reads, measures=measures)


def test_a_site_without_charts_never_imports_altair(small_site):
    (small_site.content_dir / "experience.md").unlink()
    script = ("import sys, build; code = build.main(['--no-cache', '-q', '--data', 'data', "
              "'--content', 'content', '--templates', 'templates', '--out', 'site']); "
              "print(code, 'altair' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=small_site.data_dir.resolve().parent,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.stdout.split() == ["0", "False"], result.stderr
    assert (small_site.site_dir / "index.html").is_file()


def answer_text(site) -> str:
    html = (site / "index.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="answer".*?</section>', html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def test_the_home_page_opens_with_an_answer_computed_from_the_data(small_site):
    assert run_build(small_site, "--no-cache").returncode == 0
    before = answer_text(small_site.site_dir)
    assert ("In 2 of the 2 sources that compare the two roles, every pair of ML and software "
            "figures we read from them puts ML engineers ahead, where the figures settle it."
            ) in before
    assert ("Alpha survey (total compensation, median), “MLE” against “SWE”: +25%. "
            "Beta bands (total compensation, typical range), “ML” against “SW”: +25%.") \
        in before.replace("( ", "(").replace(" )", ")")
    path = small_site.data_dir / "experience.yaml"
    path.write_text(path.read_text().replace("value: 150000", "value: 160000"))
    assert run_build(small_site, "--no-cache").returncode == 0
    after = answer_text(small_site.site_dir)
    assert "“MLE” against “SWE”: +33%." in after
    assert after != before
