"""Structured data: the claims page reviews every audited claim as schema.org ClaimReview,
and the home page describes every download as a schema.org Dataset. Parsed with PyLD, a
JSON-LD processor, against schema.org's vocabulary (served locally: the build machine has no
network, and schema.org's context maps every term into https://schema.org/)."""

import json
import re

from pyld import jsonld

from conftest import ROOT
from paysite import readings, structured
from paysite.load import load_data

S = "https://schema.org/"
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def local_loader(url, options=None):
    assert url.rstrip("/") == "https://schema.org", f"JSON-LD asked for {url}"
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": S}}}


def graph(page) -> list[dict]:
    """The page's JSON-LD, expanded and flattened: one node per object."""
    [block] = BLOCK.findall(page.read_text(encoding="utf-8"))
    return jsonld.flatten(json.loads(block), options={"documentLoader": local_loader,
                                                      "base": f"https://example.org/{page.name}"})


def of_type(nodes, kind):
    return [n for n in nodes if S + kind in n.get("@type", [])]


def value(node, key):
    return [v.get("@value", v.get("@id")) for v in node.get(S + key, [])]


def test_every_audited_claim_has_a_claim_review(real_site):
    data = load_data(ROOT / "data")
    nodes = graph(real_site / "claims.html")
    reviews = of_type(nodes, "ClaimReview")
    stated = sorted(v for r in reviews for v in value(r, "claimReviewed"))
    assert stated == sorted([c.as_stated for c in data.claims] + [w.as_stated for w in data.words])
    by_id = {n["@id"]: n for n in nodes}
    for review in reviews:
        [rating] = (by_id[i] for i in value(review, "reviewRating"))
        [verdict] = value(rating, "alternateName")
        kind = next(k for k in sorted(readings.VERDICTS, key=len, reverse=True)
                    if verdict.startswith(k))
        assert value(rating, "ratingValue") == ([structured.RATINGS[kind]]
                                                if kind in structured.RATINGS else [])
        [claim] = (by_id[i] for i in value(review, "itemReviewed"))
        [author] = (by_id[i] for i in value(claim, "author"))
        assert value(author, "name")[0] in {s["publisher"] for s in data.sources.values()}
        assert value(review, "reviewBody")[0]


def test_the_home_page_describes_every_download_as_a_dataset(real_site):
    nodes = graph(real_site / "index.html")
    [dataset] = of_type(nodes, "Dataset")
    assert value(dataset, "license") == ["https://creativecommons.org/licenses/by/4.0/"]
    by_id = {n["@id"]: n for n in nodes}
    files = {value(by_id[i], "contentUrl")[0] for i in value(dataset, "distribution")}
    on_disk = {p.relative_to(real_site).as_posix()
               for p in (real_site / "downloads").rglob("*") if p.is_file()}
    assert files == on_disk
    sources = [by_id[i] for i in value(dataset, "isBasedOn")]
    assert len(sources) == len(load_data(ROOT / "data").sources)


def test_structured_data_cannot_close_its_script(tmp_path):
    from paysite.serialise import inline_json
    assert "</script" not in inline_json({"claimReviewed": "</script><script>alert(1)"})
