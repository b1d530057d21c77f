"""Incremental builds: what a build may take from its cache (whole charts, the checked data
set, compiled templates) and that the result is always the bytes of a cold build."""

import dataclasses
import functools
import os
import subprocess
import sys

import pytest

from conftest import ROOT, run_build, snapshot, write_files
from paysite import charts as chart_package
from paysite import drawing, pipeline
from paysite.charts.draw import (SHARED_PARTS, chart_data, made_chart, parts_shared, spec_of,
                                 unchecked)
from paysite.datamemo import dataset_from_json, dataset_to_json
from paysite.load import load_data

# Runs one cached build in a fresh process and says whether Altair was imported.
PROBE = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from paysite import pipeline
summary = pipeline.build(pipeline.Paths(Path("data"), Path("content"), Path("templates"),
                                        Path("site"), cache_dir=Path({cache!r})))
print(summary.detail, "altair" in sys.modules)
"""


def probe(cache) -> str:
    code = PROBE.format(root=str(ROOT), cache=str(cache))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def cold(small_site, tmp_path) -> dict[str, bytes]:
    """The same inputs built from nothing, into another folder."""
    out = tmp_path / "cold"
    result = run_build(dataclasses.replace(small_site, site_dir=out), "--no-cache")
    assert result.returncode == 0, result.stderr
    return snapshot(out)


def test_a_changed_sentence_builds_without_altair_and_matches_a_cold_build(small_site,
                                                                          tmp_path):
    cache = tmp_path / "cache"
    assert probe(cache).endswith("True")  # first build: charts made, Altair imported
    page = small_site.content_dir / "experience.md"
    page.write_text(page.read_text().replace("Some *commentary*.", "Other *commentary*."))
    assert probe(cache) == "2 cached, 0 rendered False"
    assert snapshot(small_site.site_dir) == cold(small_site, tmp_path)


def test_a_changed_figure_makes_the_charts_again_and_matches_a_cold_build(small_site,
                                                                         tmp_path):
    cache = tmp_path / "cache"
    probe(cache)
    data = small_site.data_dir / "experience.yaml"
    data.write_text(data.read_text().replace("value: 150000", "value: 155000"))
    detail = probe(cache)
    assert detail.endswith("True") and "rendered" in detail
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


def test_a_changed_figure_makes_again_only_the_charts_that_read_its_part_of_the_data(
        small_site, tmp_path, made):
    write_files(small_site.content_dir, {"location.md": CITY_PAGE})
    paths = dataclasses.replace(small_site, cache_dir=tmp_path / "cache")
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


@pytest.mark.parametrize("name", sorted(name for name, kind in chart_package.KINDS.items()
                                        if kind.reads is not None))
def test_a_chart_made_from_the_part_of_the_data_it_reads_is_the_chart_of_all_of_it(name):
    """A chart kind is given only the part of the data set it declares (`reads`, `measures`)
    and the claims recomputed from that part; on the site's own data it must make exactly
    the chart the whole data set makes, so a declaration that leaves out something the
    chart shows of today's data fails here."""
    data, audit = real_data()
    part = chart_data(chart_package.KINDS[name], data, audit)
    assert len(part[0].figures) < len(data.figures)  # the part really is a part
    assert made_chart(name, *part) == made_chart(name, data, audit)


def test_damaged_cache_entries_are_made_again(small_site, tmp_path):
    cache = tmp_path / "cache"
    probe(cache)
    for path in [*(cache / "charts").rglob("*"), *(cache / "data").rglob("*")]:
        if path.is_file():
            path.write_text("{not json", encoding="utf-8")
    page = small_site.content_dir / "index.md"
    page.write_text(page.read_text() + "\nMore.\n")
    assert probe(cache).endswith("True")  # the memo was unreadable: charts made again
    assert snapshot(small_site.site_dir) == cold(small_site, tmp_path)


def test_the_data_memo_gives_back_the_same_data_set():
    data = load_data(ROOT / "data")
    assert dataset_from_json(dataset_to_json(data)) == data


@functools.cache
def real_data():
    from paysite.claims import recompute_claims
    data = load_data(ROOT / "data")
    return data, recompute_claims(data)


@pytest.mark.parametrize("name", sorted(chart_package.KINDS))
def test_every_chart_spec_is_valid_vega_lite(name):
    """The build skips Altair's schema check for speed (charts/draw.py spec_of); here every
    chart kind's spec is checked against the Vega-Lite schema on the real data."""
    drawn = chart_package.KINDS[name].make(*real_data())
    spec = drawn.chart.to_dict(validate=True)  # raises on a spec the schema refuses
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


@pytest.mark.parametrize("name", sorted(chart_package.KINDS))
def test_a_chart_made_with_its_parts_shared_is_the_chart_made_with_whole_copies(name):
    """The build lets Altair copy the parts of a chart that nothing changes by reference
    (charts/draw.py parts_shared); every chart kind must make exactly the spec it makes
    when Altair copies every part, as a kind that changed a part after using it would not."""
    kind = chart_package.KINDS[name]
    copiers = {part: vars(part).get("__deepcopy__") for part in SHARED_PARTS}
    with unchecked():
        whole = spec_of(kind.make(*real_data()).chart)
    with unchecked(), parts_shared():
        shared = spec_of(kind.make(*real_data()).chart)
    assert shared == whole
    assert {part: vars(part).get("__deepcopy__") for part in SHARED_PARTS} == copiers  # put back


def test_sharing_parts_shows_a_part_changed_after_it_was_used():
    """What the test above guards against: a part changed after a chart was made from it
    reaches that chart when parts are shared, and only then."""
    import altair as alt

    def made() -> dict:
        axis = alt.Axis(title="before")
        point = alt.Chart().mark_point().encode(x=alt.X("v", type="quantitative", axis=axis))
        chart = alt.layer(point, data=alt.Data(values=[{"v": 1}]))
        axis.title = "after"
        return spec_of(chart)

    with unchecked():
        assert made()["layer"][0]["encoding"]["x"]["axis"]["title"] == "before"
    with unchecked(), parts_shared():
        assert made()["layer"][0]["encoding"]["x"]["axis"]["title"] == "after"


@pytest.mark.parametrize("name", sorted(chart_package.KINDS))
def test_a_chart_compiled_once_is_the_chart_compiled_at_each_width(name):
    """The build compiles each spec once and sets the plot width in the compiled spec for
    every drawing (layouts.Sized); for every chart kind that must be exactly what
    Vega-Lite compiles at that width, and the browser's spec what it compiles unchanged."""
    import vl_convert
    from paysite import layouts

    def compiled(spec):
        return vl_convert.vegalite_to_vega(spec, vl_version=layouts.VEGA_LITE_VERSION)

    spec = chart_package.KINDS[name].make(*real_data()).chart.to_dict(validate=False)
    sized = layouts.Sized(spec)
    assert len(sized.slots) == 1  # every chart kind takes its plot width from the theme
    for width in (183, 426, 704):
        layouts.set_plot_width(sized.slots, width)
        assert sized.vega == compiled(layouts.plot_width(spec, width))
    assert sized.for_browser() == compiled(spec)


def test_the_render_cache_key_covers_the_drawing_code(tmp_path):
    """An SVG drawn by older drawing code (other layout widths, another margin search) must
    never be served for the same spec: the hash of the code, Python and JavaScript, is part
    of every key."""
    import hashlib
    from pathlib import Path
    from paysite import layouts
    cache = layouts.RenderCache(tmp_path, ROOT / "templates" / "fonts")
    code = Path(layouts.__file__)  # the module and the margin search it loads into Vega
    both = code.read_bytes() + code.with_name("layouts.js").read_bytes()
    assert hashlib.sha256(both).hexdigest() in cache.salt


def test_the_fonts_digest_follows_a_changed_font(tmp_path):
    """Charts are filed under the fonts' digest, which is read again only when a font's size
    or modification time changes (drawing.fonts_digest)."""
    font = tmp_path / "a.ttf"
    font.write_bytes(b"one")
    first = drawing.fonts_digest(tmp_path)
    assert drawing.fonts_digest(tmp_path) == first
    font.write_bytes(b"three")
    second = drawing.fonts_digest(tmp_path)
    font.write_bytes(b"tw0!!")  # the same size, a later time
    os.utime(font, ns=(font.stat().st_atime_ns, font.stat().st_mtime_ns + 1_000_000))
    assert len({first, second, drawing.fonts_digest(tmp_path)}) == 3
    (tmp_path / "b.ttf").write_bytes(b"x")
    assert drawing.fonts_digest(tmp_path) != second
