"""Write: the rendered files into a fresh folder beside site/, swapped in whole, reusing
unchanged files by hard link; and the manifest that lets the next build see nothing changed.

Nothing is written unless every earlier stage succeeded; a path that would leave the site
folder, or an output folder this build did not make, is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path, PurePosixPath

from .errors import BuildError, Problem, display_path
from .serialise import write_whole


# GitHub Pages needs .nojekyll; it also marks a folder as one this build may replace.
SITE_MARKER = ".nojekyll"


def write_site(files: dict[str, bytes], site_dir: Path) -> dict[str, bytes]:
    """Write every file, and the marker, into a fresh folder beside site/, then swap it in
    whole; return what was written.

    A file whose bytes are already in site/ is hard-linked from there rather than written
    again, so only changed outputs are rewritten: making a new file is most of the cost of
    writing a site on many file systems, and comparing and linking costs far less.
    """
    parent = site_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(site_dir)
    refuse_foreign_output(site_dir)
    files = {SITE_MARKER: b"", **files}
    current = plain_files(site_dir)
    staging = parent / f".{site_dir.name}.building-{os.getpid()}"
    staging.mkdir(mode=0o755)
    try:
        folders = {staging}
        for rel_path, content in sorted(files.items()):
            out_path = inside(staging, rel_path)
            if out_path.parent not in folders:
                out_path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(out_path.parent)
            if rel_path in current and link_if_same(site_dir / rel_path, out_path, content):
                continue
            with open(out_path, "xb") as out:  # always a new file, never one shared by a link
                out.write(content)
        swap_in(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return files


def plain_files(folder: Path) -> set[str]:
    """The site-relative paths of the regular files in folder, found without following a
    symbolic link: a link in site/ is never reused, nor anything it points to."""
    if folder.is_symlink() or not folder.is_dir():
        return set()
    found = set()
    for root, _, names in os.walk(folder):  # does not descend into linked folders
        for name in names:
            path = os.path.join(root, name)
            if not os.path.islink(path) and os.path.isfile(path):
                found.add(Path(path).relative_to(folder).as_posix())
    return found


def link_if_same(old: Path, new: Path, content: bytes) -> bool:
    """Hard-link old to new when old holds exactly content; False when it differs or the file
    system cannot link (then the caller writes the file)."""
    try:
        if old.stat().st_size != len(content) or old.read_bytes() != content:
            return False
        os.link(old, new)
    except OSError:
        return False
    return True


def refuse_foreign_output(site_dir: Path) -> None:
    """Refuse to replace a file, or a folder this build did not make (say, --out ~)."""
    if not site_dir.exists():
        return
    if not site_dir.is_dir():
        raise BuildError([Problem(display_path(site_dir), 1, 1,
                                  "the output path is a file, not a folder")])
    if any(site_dir.iterdir()) and not (site_dir / SITE_MARKER).is_file():
        raise BuildError([Problem(display_path(site_dir), 1, 1,
                                  f"refusing to replace a folder that was not built here "
                                  f"(no {SITE_MARKER}); choose an empty or new --out folder")])


def inside(root: Path, rel_path: str) -> Path:
    """Join a site-relative path to root, refusing any path that could leave it. root is a
    folder this build has just made and holds no links, so the path's own parts decide."""
    parts = PurePosixPath(rel_path).parts
    if not parts or rel_path.startswith(("/", "\\")) or ".." in parts or "\\" in rel_path:
        raise BuildError([Problem(rel_path, 1, 1, "output path escapes the site folder")])
    return root.joinpath(*parts)


def swap_in(staging: Path, site_dir: Path) -> None:
    """Replace site/ by the staging folder; the old site/ stays until the new one is whole."""
    retired = site_dir.resolve().parent / f".{site_dir.name}.old-{os.getpid()}"
    if site_dir.exists():
        os.rename(site_dir, retired)
    os.rename(staging, site_dir)
    shutil.rmtree(retired, ignore_errors=True)


def remove_leftovers(site_dir: Path) -> None:
    """Clean up after a build that was killed: restore site/ if it went missing."""
    parent = site_dir.resolve().parent
    for retired in sorted(parent.glob(f".{site_dir.name}.old-*")):
        if not site_dir.exists():
            os.rename(retired, site_dir)
        else:
            shutil.rmtree(retired, ignore_errors=True)
    for staging in sorted(parent.glob(f".{site_dir.name}.building-*")):
        shutil.rmtree(staging, ignore_errors=True)


def site_is_current(manifest: Path | None, site_dir: Path, inputs: str) -> bool:
    """Whether site/ is exactly what these inputs built last time, untouched since."""
    if not manifest or not manifest.is_file() or not site_dir.is_dir():
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
        if recorded.get("inputs") != inputs or recorded.get("site") != str(site_dir.resolve()):
            return False
        files = {name: (str(sha), int(size), int(mtime))
                 for name, (sha, size, mtime) in recorded["files"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return False  # an unreadable manifest is no manifest: build, and write a good one
    present = {str(p.relative_to(site_dir)) for p in site_dir.rglob("*") if p.is_file()}
    return present == set(files) and all(
        file_unchanged(site_dir / name, *facts) for name, facts in files.items())


def file_unchanged(path: Path, sha: str, size: int, mtime_ns: int) -> bool:
    """Same size and time as recorded means untouched (as make assumes); else compare bytes."""
    stat = path.stat()
    if (stat.st_size, stat.st_mtime_ns) == (size, mtime_ns):
        return True
    return stat.st_size == size and hashlib.sha256(path.read_bytes()).hexdigest() == sha


def record_site(manifest: Path | None, site_dir: Path, inputs: str,
                files: dict[str, bytes]) -> None:
    """Remember which inputs built site/ and the hash of every file written."""
    if not manifest:
        return
    facts = {}
    for name, content in sorted(files.items()):
        stat = (site_dir / name).stat()
        facts[name] = [hashlib.sha256(content).hexdigest(), stat.st_size, stat.st_mtime_ns]
    text = json.dumps({"inputs": inputs, "site": str(site_dir.resolve()), "files": facts},
                      indent=1)
    write_whole(manifest, text.encode("utf-8"))
