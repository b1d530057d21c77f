"""The data memo: the checked `Dataset` kept on disk as JSON under the hash of data/ and the
code, so a build that changed only text or templates skips parsing and validating data/.

JSON, not pickle: the cache holds values, never code.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .model import Claim, Dataset, Figure, Selector, WordClaim
from .serialise import write_whole
from .words import make_check


def remembered(folder: Path, digest: str) -> Dataset | None:
    """The data set stored under this digest, or None (missing or damaged: load afresh)."""
    try:
        return dataset_from_json((folder / digest).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(folder: Path, digest: str, data: Dataset) -> None:
    """Store a data set under its digest, whole or not at all."""
    write_whole(folder / digest, dataset_to_json(data).encode("utf-8"))


def dataset_to_json(data: Dataset) -> str:
    """The data set as JSON, every mapping in its own order (sources.yaml's order is the
    order pages show sources in)."""
    return json.dumps(dataclasses.asdict(data), ensure_ascii=False, allow_nan=False)


def dataset_from_json(text: str) -> Dataset:
    """The data set again, with its tuples and value types restored."""
    found = json.loads(text)
    return Dataset(**{**found,
                      "figures": tuple(Figure(**{**f, "qualifiers": tuple(f["qualifiers"])})
                                       for f in found["figures"]),
                      "claims": tuple(claim_from(c) for c in found["claims"]),
                      "words": tuple(word_from(w) for w in found["words"])})


def claim_from(found: dict) -> Claim:
    """A claim, its two sides and its tuples restored."""
    return Claim(**{**found, "a": selector_from(found["a"]), "b": selector_from(found["b"]),
                    "paired_on": tuple(found["paired_on"]),
                    "qualifiers": tuple(found["qualifiers"])})


def selector_from(found: dict) -> Selector:
    groups = found["groups"]
    return Selector(**{**found, "groups": None if groups is None else tuple(groups)})


def word_from(found: dict) -> WordClaim:
    """A claim in words, its checks and their tuples restored."""
    return WordClaim(**{**found, "checks": tuple(make_check(c) for c in found["checks"])})
