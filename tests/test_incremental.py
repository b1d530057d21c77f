"""Builds that reuse earlier work: chart specs and drawings from the cache on disk; and that
the result is always the bytes of a cold build."""

import dataclasses
import functools
import shutil
import subprocess
import sys

import pytest
import vl_convert

from conftest import ROOT, real_pages, run_build, snapshot, write_files
from paysite import charts as chart_package
from paysite import pipeline, svg
from paysite.charts.draw import chart_data, made_chart
from paysite.load import load_data


def cold(small_site, tmp_path) -> dict[str, bytes]:
    """The same inputs built from nothing, into another folder."""
    out = tmp_path / "cold"
    result = run_build(dataclasses.replace(small_site, site_dir=out), "--no-cache")
    assert result.returncode == 0, result.stderr
    return snapshot(out)


def drawings(cache) -> set:
    """The drawings the renderer's cache holds."""
    return {path.name for path in (cache / "svg").rglob("*") if path.is_file()}


def cached_build(small_site, cache) -> None:
    result = run_build(small_site, "--cache", str(cache))
    assert result.returncode == 0, result.stderr


def test_a_changed_sentence_draws_nothing_and_matches_a_cold_build(small_site, tmp_path):
    cache = tmp_path / "cache"
    cached_build(small_site, cache)
    before = drawings(cache)
    assert len(before) == 2  # the small site's two charts
    page = small_site.content_dir / "experience.md"
    page.write_text(page.read_text().replace("Some *commentary*.", "Other *commentary*."))
    cached_build(small_site, cache)
    assert drawings(cache) == before
    assert snapshot(small_site.site_dir) == cold(small_site, tmp_path)


def test_a_changed_figure_draws_its_charts_again_and_matches_a_cold_build(small_site,
                                                                         tmp_path):
    cache = tmp_path / "cache"
    cached_build(small_site, cache)
    before = drawings(cache)
    data = small_site.data_dir / "experience.yaml"
    data.write_text(data.read_text().replace("value: 150000", "value: 155000"))
    cached_build(small_site, cache)
    assert len(drawings(cache) - before) == 2  # both charts show that figure
    assert snapshot(small_site.site_dir) == cold(small_site, tmp_path)


def test_a_change_to_any_file_of_the_package_draws_every_chart_again(small_site, tmp_path):
    """The cache key holds every file of the generator, not only its modules: here a file
    that is not Python is added to a copy of the package."""
    generator = tmp_path / "generator"
    shutil.copytree(ROOT / "paysite", generator / "paysite",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", generator / "build.py")
    cache = tmp_path / "cache"
    command = [sys.executable, str(generator / "build.py"), "--data", "data", "--content",
               "content", "--templates", "templates", "--out", "site", "--cache", str(cache)]
    subprocess.run(command, check=True, capture_output=True)
    before = drawings(cache)
    (generator / "paysite" / "notes.txt").write_text("not Python\n", encoding="utf-8")
    subprocess.run(command, check=True, capture_output=True)
    assert len(drawings(cache) - before) == len(before) == 2
    assert snapshot(small_site.site_dir) == cold(small_site, tmp_path)


CITY_PAGE = """\
    ---
    title: Location
    summary: Pay by city.
    order: 2
    dimension: location
    charts: [pay_by_city]
    ---
    Cities.
    """


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The names of the chart kinds whose spec and table were made, build after build."""
    names = []
    for name, kind in list(chart_package.KINDS.items()):
        def make(data, audit, name=name, make=kind.make):
            names.append(name)
            return make(data, audit)
        monkeypatch.setitem(chart_package.KINDS, name, dataclasses.replace(kind, make=make))
    return names


def test_a_build_makes_again_only_the_specs_that_read_the_changed_part_of_the_data(
        small_site, tmp_path, made):
    write_files(small_site.content_dir, {"location.md": CITY_PAGE})
    paths = dataclasses.replace(small_site, cache_dir=tmp_path / "cache", manifest=False)
    pipeline.build(paths)
    assert sorted(made) == ["pay_by_city", "pay_by_level", "premium_by_level"]
    for data, old, new, remade in [
            ("location.yaml", "value: 260000", "value: 265000", ["pay_by_city"]),
            ("experience.yaml", "value: 150000", "value: 155000",
             ["pay_by_level", "premium_by_level"]),
            ("site.yaml", "Small test site", "Small site", [])]:  # no chart reads its title
        made.clear()
        path = small_site.data_dir / data
        path.write_text(path.read_text().replace(old, new))
        pipeline.build(paths)
        assert sorted(made) == remade, data
        assert snapshot(small_site.site_dir) == cold(small_site, tmp_path)


@functools.cache
def real_data():
    from paysite.claims import recompute_claims
    data = load_data(ROOT / "data")
    return data, recompute_claims(data)


# The chart kinds the site's pages show, drawn from the site's own data (a kind no page
# shows may have nothing to draw there: test_hostile.py draws every kind on generated data).
SHOWN = sorted({name for page in real_pages() for name in page.charts} & set(chart_package.KINDS))


@pytest.mark.parametrize("name", [name for name in SHOWN
                                  if chart_package.KINDS[name].reads is not None])
def test_a_chart_made_from_the_part_of_the_data_it_reads_is_the_chart_of_all_of_it(name):
    """A chart kind is given only the part of the data set it declares (`reads`, `measures`)
    and the claims recomputed from that part; on the site's own data it must make exactly
    the chart the whole data set makes, so a declaration that leaves out something the
    chart shows of today's data fails here."""
    data, audit = real_data()
    kind = chart_package.KINDS[name]
    part = chart_data(kind, data, audit)
    assert len(part[0].figures) < len(data.figures)  # the part really is a part
    assert made_chart(kind, *part) == made_chart(kind, data, audit)


@pytest.mark.parametrize("name", SHOWN)
def test_every_chart_spec_is_valid_vega_lite(name):
    """The build skips Altair's schema check for speed (charts/draw.py made_chart); here
    the spec of every chart kind the pages show is checked against the Vega-Lite schema on
    the real data."""
    drawn = chart_package.KINDS[name].make(*real_data())
    spec = drawn.chart.to_dict(validate=True)  # raises on a spec the schema refuses
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


@pytest.mark.parametrize("name", SHOWN)
def test_a_chart_compiled_once_is_the_chart_compiled_at_each_width(name):
    """The renderer compiles each spec once and sets the plot width in the compiled spec for
    every drawing (svg.plot_width_slots); for every chart kind that must be exactly what
    Vega-Lite compiles at that width, and the browser's spec what it compiles unchanged."""
    def compiled(spec):
        return vl_convert.vegalite_to_vega(spec, vl_version=svg.VEGA_LITE_VERSION)

    spec = chart_package.KINDS[name].make(*real_data()).chart.to_dict(validate=False)
    vega = compiled(svg.plot_width(spec, svg.WIDTH_MARK))
    slots = svg.plot_width_slots(vega)
    assert len(slots) == 1  # every chart kind takes its plot width from the theme
    for width in (183, 426, 704):
        svg.set_plot_width(slots, width)
        assert vega == compiled(svg.plot_width(spec, width))
    assert svg.for_browser(spec, vega, slots) == compiled(spec)
