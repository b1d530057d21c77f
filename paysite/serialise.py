"""Output encodings: JSON and CSV written the same way, byte for byte, every time; and a file
written whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Iterable

from markupsafe import Markup


def csv_text(columns: Iterable[str], rows: Iterable[Iterable]) -> str:
    """Write rows as CSV with Unix line ends, the same bytes every time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if cell is None else finite(cell) for cell in row] for row in rows)
    return out.getvalue()


def spec_json(spec: dict) -> str:
    """Serialise a spec the same way every time."""
    return json.dumps(spec, sort_keys=True, indent=1, ensure_ascii=False,
                      allow_nan=False) + "\n"


def inline_json(spec: dict) -> Markup:
    """Serialise a spec for a <script type="application/json"> block, safely."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def finite(cell):
    """A cell as it is, refusing NaN and infinity: no later bug may publish one."""
    if isinstance(cell, float) and not math.isfinite(cell):
        raise ValueError(f"refusing to write the non-finite number {cell!r}")
    return cell


def write_whole(path: Path, content: bytes) -> None:
    """Write a file whole or not at all, even if the build is killed: into a temporary file
    beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)
