"""Structured data: the audit's verdicts as schema.org ClaimReview and the downloads as a
schema.org Dataset, as JSON-LD for fact-checkers' and data publishers' tools.

The blocks are data (`<script type="application/ld+json">`), never run, so the pages'
Content-Security-Policy needs no change for them.
"""

from __future__ import annotations

from .claims import Recomputed
from .model import Dataset
from .readings import (CONSISTENT, CONTRADICTED, OTHER_READING, OVERSTATED, POSSIBLE,
                       UNDERSTATED, Verdict)
from .text import readings_words
from .worded_verdicts import WordResult, outcomes_words


SCHEMA = "https://schema.org"


FORMATS = {"csv": "text/csv", "json": "application/json", "vl.json": "application/json",
           "html": "text/html"}


def claim_reviews(data: Dataset, audit: tuple[Recomputed, ...],
                  words: tuple[WordResult, ...], page_url: str) -> dict:
    """One ClaimReview per audited claim: the claim as stated, its source as the author, our
    verdict as the rating and every reading in the review body."""
    reviews = [review(data, r.claim.id, r.claim.source, r.claim.as_stated, r.verdict,
                      readings_words(r.claim, r.readings), page_url) for r in audit]
    reviews += [review(data, w.claim.id, w.claim.source, w.claim.as_stated, w.verdict,
                       outcomes_words(w) or w.verdict.words, page_url) for w in words]
    return {"@context": SCHEMA, "@graph": reviews}


# The verdict scale as ClaimReview ratings, 5 best; "not testable" gets no number.
RATINGS = {CONSISTENT: 5, OTHER_READING: 4, POSSIBLE: 3, OVERSTATED: 2, UNDERSTATED: 2,
           CONTRADICTED: 1}


def rating(verdict: Verdict) -> dict:
    """The verdict as a schema.org Rating: its words, and its place on the scale."""
    scale = ({"ratingValue": RATINGS[verdict.kind], "bestRating": 5, "worstRating": 1}
             if verdict.kind in RATINGS else {})
    return {"@type": "Rating", "alternateName": verdict.words, **scale}


def review(data: Dataset, claim_id: str, source_id: str, as_stated: str, verdict: Verdict,
           body: str, page_url: str) -> dict:
    """A ClaimReview of one claim."""
    source = data.sources[source_id]
    return {"@type": "ClaimReview", "@id": f"{page_url}#review-{claim_id}",
            "url": page_url, "claimReviewed": as_stated,
            "author": {"@type": "Organization", "name": data.site["title"]},
            "datePublished": data.site["updated"],
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization",
                                                          "name": source["publisher"]},
                             "appearance": {"@type": "CreativeWork", "name": source["title"]}},
            "reviewRating": rating(verdict),
            "reviewBody": body}


def dataset(data: Dataset, downloads: list[str]) -> dict:
    """The downloads as one Dataset: what it holds, its licence, each file, its sources."""
    licence = {"license": data.site["licence"]["url"]} if "licence" in data.site else {}
    return {"@context": SCHEMA, "@type": "Dataset", **licence, "name": f"{data.site['title']}: data",
            "description": (f"Every pay figure the {len(data.sources)} sources state about ML "
                            f"engineers and software engineers ({len(data.figures)} figures), "
                            f"each with its source and its words as stated, and the audit of "
                            f"{len(data.claims) + len(data.words)} claims the sources make."),
            "dateModified": data.site["updated"],
            "creator": {"@type": "Organization", "name": data.site["title"]},
            "isBasedOn": [{"@type": "CreativeWork", "name": s["title"],
                           "publisher": {"@type": "Organization", "name": s["publisher"]}}
                          for s in data.sources.values()],
            "distribution": [{"@type": "DataDownload", "contentUrl": path,
                              "encodingFormat": FORMATS[path.split("/")[-1].split(".", 1)[1]]}
                             for path in sorted(downloads)]}
