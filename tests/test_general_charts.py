"""Charts an editor declares in front matter from the general kinds (figures, premiums,
counts), for a dimension the generator has never heard of: no Python, located mistakes."""

from __future__ import annotations

import csv
import dataclasses
import io
import textwrap

import pytest
import yaml
import vl_convert

from conftest import DECLARED, contract_page, declared, run_build
from paysite import pipeline
from paysite.vocabulary import GENERAL_KINDS

def downloaded(paths: pipeline.Paths, chart: str) -> list[dict]:
    text = (paths.site_dir / "downloads" / "contract" / f"{chart}.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def observations(paths: pipeline.Paths) -> list[dict]:
    return yaml.safe_load((paths.data_dir / "contract.yaml").read_text("utf-8"))["observations"]


def test_each_general_kind_draws_a_new_dimension_with_its_table(contract_site):
    result = run_build(contract_site)
    assert result.returncode == 0, result.stderr
    html = (contract_site.site_dir / "contract.html").read_text("utf-8")
    for name, fields in DECLARED.items():
        assert f'data-chart="{name}"' in html and fields["title"] in html
    figures = [o for o in observations(contract_site) if o["measure"] == "total_comp"]
    assert sorted(row["As stated"] for row in downloaded(contract_site, "contract_pay")) == sorted(
        o["as_stated"] for o in figures)
    shares = [o for o in observations(contract_site) if o["measure"] == "remote_share"]
    assert sorted(row["As stated"] for row in downloaded(contract_site, "contract_remote")) == \
        sorted(o["as_stated"] for o in shares)
    # One recomputed premium per group that has both roles, groups in alphabetical order.
    premiums = downloaded(contract_site, "contract_premium")
    groups = sorted({o["group"] for o in figures})
    assert [row["Group"] for row in premiums] == groups
    medians = {o["role"]: o["value"] for o in figures if o["group"] == groups[0]}
    assert premiums[0]["Recomputed premium"].split(" [")[0] == (
        f"+{(medians['mle'] / medians['swe'] - 1):.0%}")


def test_the_general_kinds_are_the_ones_the_schema_offers(contract_site):
    from paysite.charts.general import MAKERS
    from paysite.schemas import FRONT_MATTER
    assert set(MAKERS) == set(GENERAL_KINDS)
    assert FRONT_MATTER["properties"]["charts"]["items"]["properties"]["kind"]["enum"] == \
        list(GENERAL_KINDS)


@pytest.mark.parametrize("change, line, message", [
    ({"contract_pay": {"measure": "base_salary"}}, 6,
     "chart 'contract_pay': unknown measure 'base_salary' (known: remote_share, total_comp)"),
    ({"contract_pay": {"measure": None}}, 6,
     "chart 'contract_pay': its figures come in 2 units (percent, usd_per_year), which one "
     "axis cannot show: name one `measure:` of remote_share, total_comp"),
    ({"contract_premium": {"measure": "remote_share"}}, 11,
     "chart 'contract_premium': no source gives an ML and a software figure of the same group "
     "and statistic, of a statistic premiums are recomputed from (median, mean, range, "
     "p25_p75, avg_range); its figures' statistics: share"),

    ({"contract_pay": {"measure": "total_compp"}}, 6,
     "chart 'contract_pay': unknown measure 'total_compp' (known: remote_share, total_comp); "
     "did you mean 'total_comp'?"),
    ({"contract_remote": {"statistic": "p75"}}, 16,
     "chart 'contract_remote': no figure of `dimension: contract` has measure: remote_share "
     "and statistic: p75; its figures have measure: remote_share, total_comp and statistic: "
     "median, range, share"),
])
def test_a_declared_chart_the_data_cannot_draw_is_located_at_its_name(contract_site, change,
                                                                     line, message):
    charts = [{k: v for k, v in entry.items() if v is not None}
              for entry in declared(**change)]
    (contract_site.content_dir / "contract.md").write_text(contract_page(charts), "utf-8")
    result = run_build(contract_site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == f"content/contract.md:{line}:9: {message}"
    assert not contract_site.site_dir.exists()


@pytest.mark.parametrize("change, where, message", [
    ({"contract_pay": {"kind": "figure"}}, "7:9",
     "kind: 'figure' is not one of: figures, premiums, counts; did you mean 'figures'?"),
    ({"contract_pay": {"dimension": "contracts"}}, "8:14",
     "unknown dimension 'contracts' (known: contract, experience, location); did you mean "
     "'contract'?"),
    ({"contract_pay": {"colour": "red"}}, "11:3",
     "unknown field 'colour' (allowed: dimension, kind, measure, name, statistic, title)"),
])
def test_a_mistyped_declaration_is_located_at_its_field(contract_site, change, where, message):
    (contract_site.content_dir / "contract.md").write_text(contract_page(declared(**change)),
                                                           "utf-8")
    result = run_build(contract_site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == f"content/contract.md:{where}: {message}"


def test_a_declared_name_already_taken_is_located(contract_site):
    charts = declared(contract_remote={"name": "pay_by_level"})
    charts.append(dict(charts[0], title="Again"))  # contract_pay, declared twice
    (contract_site.content_dir / "contract.md").write_text(contract_page(charts), "utf-8")
    (contract_site.content_dir / "again.md").write_text(contract_page(declared()[1:2]),
                                                        "utf-8")  # and on another page
    result = run_build(contract_site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert sorted(result.stderr.splitlines()[:3]) == [
        "content/contract.md:11:9: chart name 'contract_premium' is already declared in "
        "content/again.md; give this chart a name of its own",
        "content/contract.md:16:9: chart name 'pay_by_level' is already the name of a chart "
        "kind; give this chart a name of its own",
        "content/contract.md:21:9: chart 'contract_pay' is already on this page; show it once"]


def test_a_premiums_chart_of_two_measures_in_one_unit_asks_for_one(contract_site):
    with open(contract_site.data_dir / "measures.yaml", "a", encoding="utf-8") as measures:
        measures.write("  - {id: base_salary, name: Base salary, unit: usd_per_year}\n")
    with open(contract_site.data_dir / "contract.yaml", "a", encoding="utf-8") as data:
        for role, value in (("mle", 150000), ("swe", 140000)):
            data.write(f"  - {{source: alpha, role: {role}, group: Agencies, measure: "
                       f"base_salary, stat: median, value: {value}, as_stated: "
                       f"\"${value:,}\"}}\n")
    charts = declared(contract_premium={"statistic": "median"})
    del charts[1]["measure"]
    (contract_site.content_dir / "contract.md").write_text(contract_page(charts), "utf-8")
    result = run_build(contract_site)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/contract.md:11:9: chart 'contract_premium': its figures are of 2 measures "
        "(base_salary, total_comp), and a premium compares like with like: name one "
        "`measure:`")


def test_a_dimension_shown_only_by_a_declared_chart_needs_no_page_dimension(contract_site):
    """The page has no `dimension:`; its declared charts show the new data file."""
    assert "\ndimension:" not in (contract_site.content_dir / "contract.md").read_text("utf-8")
    assert run_build(contract_site).returncode == 0
    (contract_site.content_dir / "contract.md").write_text(contract_page(["pay_by_level"]),
                                                           "utf-8")
    result = run_build(contract_site)
    assert result.returncode == 1
    assert result.stderr.startswith("data/contract.yaml:1:1: ")


def test_a_cached_build_makes_a_declaration_again_when_only_its_options_change(contract_site,
                                                                               tmp_path):
    """Specs are kept on disk by what the chart reads and how it is declared."""
    paths = dataclasses.replace(contract_site, cache_dir=tmp_path / "cache", manifest=False)
    spec = contract_site.site_dir / "downloads" / "contract" / "contract_remote.vl.json"
    pipeline.build(paths)
    before = downloaded(contract_site, "contract_remote"), spec.read_text("utf-8")
    (contract_site.content_dir / "contract.md").write_text(contract_page(declared(
        contract_remote={"kind": "figures"})), "utf-8")
    pipeline.build(paths)
    assert downloaded(contract_site, "contract_remote") == before[0]  # the same figures…
    assert '"bar"' in before[1] and '"bar"' not in spec.read_text("utf-8")  # …not as bars


def test_a_page_names_a_chart_another_page_declares(contract_site):
    extra = textwrap.dedent("""\
        ---
        title: Again
        summary: The same chart.
        order: 4
        charts: [contract_pay]
        ---
        Text.
        """)
    (contract_site.content_dir / "again.md").write_text(extra, "utf-8")
    result = run_build(contract_site)
    assert result.returncode == 0, result.stderr
    assert (contract_site.site_dir / "downloads" / "again" / "contract_pay.csv").read_bytes() == \
        (contract_site.site_dir / "downloads" / "contract" / "contract_pay.csv").read_bytes()


def test_every_declared_chart_is_valid_vega_lite_and_takes_the_layout_width(contract_site):
    """What test_incremental checks of every chart kind on the real data, for the general
    kinds on a dimension of their own: the spec passes the Vega-Lite schema, and the
    renderer's one compile at each layout width is what Vega-Lite compiles at that width."""
    from paysite import charts, load, pages, svg
    from paysite.charts.draw import chart_data
    from paysite.claims import recompute_claims
    data = load.load_data(contract_site.data_dir)
    loaded = pages.load_pages(contract_site.content_dir, data)
    kinds = {name: kind for name, kind in charts.kinds_of(loaded).items() if name in DECLARED}
    assert sorted(kinds) == sorted(DECLARED)
    for name, kind in kinds.items():
        spec = kind.make(*chart_data(kind, data, recompute_claims(data))).chart.to_dict(
            validate=True)
        vega = vl_convert.vegalite_to_vega(svg.plot_width(spec, svg.WIDTH_MARK),
                                           vl_version=svg.VEGA_LITE_VERSION)
        slots = svg.plot_width_slots(vega)
        assert len(slots) == 1, name
        svg.set_plot_width(slots, 426)
        assert vega == vl_convert.vegalite_to_vega(svg.plot_width(spec, 426),
                                                   vl_version=svg.VEGA_LITE_VERSION), name


def test_a_premiums_chart_sets_beside_its_premiums_only_claims_of_its_measure(contract_site):
    """A claim about the same source and group but another measure is not this chart's."""
    with open(contract_site.data_dir / "contract.yaml", "a", encoding="utf-8") as data:
        data.write("  - {source: alpha, role: mle, group: Agencies, measure: remote_share, "
                   "stat: median, value: 40, as_stated: \"40%\"}\n"
                   "  - {source: alpha, role: swe, group: Agencies, measure: remote_share, "
                   "stat: median, value: 25, as_stated: \"25%\"}\n")
    with open(contract_site.data_dir / "claims.yaml", "a", encoding="utf-8") as claims:
        claims.write("  - {id: alpha-remote, source: alpha, dimension: contract, group: "
                     "Agencies, measure: remote_share, stat: median, premium: ml_over_swe, "
                     "value: 60, as_stated: \"+60%\"}\n")
    assert run_build(contract_site).returncode == 0
    stated = {row["Group"]: row["Stated premium (verdict for this row)"]
              for row in downloaded(contract_site, "contract_premium")}
    assert stated == {"Agencies": "none stated", "Direct clients": "none stated"}


def test_a_declared_title_gets_its_placeholders_filled(contract_site):
    page = contract_site.content_dir / "contract.md"
    page.write_text(contract_page(declared(contract_pay={"title": "Pay in {{ sources }} "
                                                                  "sources"})), "utf-8")
    assert run_build(contract_site).returncode == 0
    html = (contract_site.site_dir / "contract.html").read_text("utf-8")
    sources = len(yaml.safe_load((contract_site.data_dir / "sources.yaml").read_text())[
        "sources"])
    assert f"Pay in {sources} sources" in html and "{{" not in html


def test_a_chart_shown_twice_on_a_page_or_named_like_an_address_is_refused(contract_site):
    charts = ["contract_pay", *declared()]
    (contract_site.content_dir / "contract.md").write_text(contract_page(charts), "utf-8")
    result = run_build(contract_site)
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        "content/contract.md:7:9: chart 'contract_pay' is already on this page; show it once")
    charts = declared(contract_pay={"name": "contract-pay"})
    (contract_site.content_dir / "contract.md").write_text(contract_page(charts), "utf-8")
    result = run_build(contract_site)
    assert result.returncode == 1 and result.stderr.splitlines()[0].startswith(
        "content/contract.md:6:9: name: 'contract-pay' does not have the expected form")


def test_a_declaration_that_cannot_be_drawn_is_located_where_it_is_declared(contract_site):
    """Another page, earlier in the navigation, shows the chart by name."""
    (contract_site.content_dir / "again.md").write_text(
        "---\ntitle: Again\nsummary: S.\norder: 0\ncharts: [contract_pay]\n---\nText.\n",
        "utf-8")
    (contract_site.content_dir / "contract.md").write_text(
        contract_page(declared(contract_pay={"statistic": "p75"})), "utf-8")
    result = run_build(contract_site)
    assert result.returncode == 1
    assert result.stderr.startswith("content/contract.md:6:9: chart 'contract_pay': ")
