"""Output encodings: JSON and CSV written the same way, byte for byte, every time; a file
written whole or not at all; the cache of values made from what decides them; and the digest
of the generator's own files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
from pathlib import Path
from typing import Any, Callable, Iterable

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


def kept(folder: Path | None, key_text: str, make: Callable[[], Any]) -> Any:
    """A JSON value kept in a cache folder under the hash of `key_text` (everything that
    decides the value), or made by `make` and kept there; a damaged entry is made again. With
    no folder, always made. The one cache of the build: specs and drawings use it."""
    key = hashlib.sha256(key_text.encode("utf-8")).hexdigest()
    path = folder / key[:2] / key if folder else None
    if path and path.is_file():
        try:
            return json.loads(path.read_bytes())
        except ValueError:
            pass
    value = make()
    if path:  # keys in the order made: a spec read back is the spec made
        write_whole(path, json.dumps(value, allow_nan=False).encode("utf-8"))
    return value


def files_digest(folder: Path, skip: tuple[str, ...] = ()) -> str:
    """Every file under a folder, by relative path and bytes, hashed in sorted order
    (folders named in `skip` left out)."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not skip_parts(path.relative_to(folder), skip):
            digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()


def skip_parts(relative: Path, skip: tuple[str, ...]) -> bool:
    """Whether a path lies inside a folder named in `skip`."""
    return any(part in skip for part in relative.parts[:-1])


# Every file of the package (its modules and anything else in it), as this process loaded
# them: a cache key holds it, so an edit to any file of the generator draws afresh, and a
# preview that runs on files what it makes under the code it runs, not newer files on disk.
# Compiled bytecode is derived from the modules, so it is left out.
PACKAGE_DIGEST = files_digest(Path(__file__).resolve().parent, skip=("__pycache__",))
