"""The two sides of the review diff: the inputs at a git revision (where this branch left
main, by default) and the inputs in the working tree, each loaded and judged as the build
does, and the other files that changed between them. A ref that names nothing, or no main
to compare with, ends the command with a message, never a traceback.
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import NoReturn

from .claims import Recomputed, recompute_claims
from .errors import BuildError
from .load import SOURCE_TEXTS, load_data
from .model import Dataset
from .pages import Page, load_pages
from .pipeline import Paths
from .worded_verdicts import WordResult, words_of

# Besides data/ and content/, whose changes the diff's sections read, the files whose change
# a reviewer must see: the generator, its pinned packages, templates, saved source texts.
PACKAGE = Path(__file__).resolve().parent
GENERATOR = [PACKAGE, PACKAGE.parent / "build.py",
             *sorted(PACKAGE.parent.glob("requirements*.txt"))]
FILE_CHANGES = {"M": "changed", "A": "added", "D": "removed", "R": "renamed", "C": "copied",
                "T": "changed type"}
BASE_BRANCHES = ("main", "origin/main")  # compared with by default, the first found


@dataclasses.dataclass(frozen=True)
class Revision:
    """One side of the diff: the data, its pages, and its recomputed claims."""

    data: Dataset
    pages: tuple[Page, ...]
    audit: tuple[Recomputed, ...]
    words: tuple[WordResult, ...]


def compared(paths: Paths, ref: str | None) -> tuple[Revision, Revision, str, list[str]]:
    """Both sides of the diff, the ref compared with, and the files besides data and pages
    that changed (templates, code, saved source texts), each with how."""
    repo = Path(git(["rev-parse", "--show-toplevel"], paths.data_dir).strip())
    ref = commit_of(ref, repo) if ref else merge_base(repo)
    data_rel, content_rel = (Path(folder).resolve().relative_to(repo)
                             for folder in (paths.data_dir, paths.content_dir))
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", ref,
                                  str(data_rel), str(content_rel)], capture_output=True,
                                 check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        try:
            old = revision(Path(folder) / data_rel, Path(folder) / content_rel)
        except BuildError as error:  # name the old revision's files as REF:path
            raise BuildError([dataclasses.replace(
                problem, path=f"{ref[:12]}:{problem.path.removeprefix(folder + '/')}",
                message=f"{problem.message} (in the revision compared with)")
                for problem in error.problems]) from error
    new = revision(paths.data_dir, paths.content_dir)
    folders = [paths.templates_dir, paths.data_dir / SOURCE_TEXTS, paths.data_dir,
               paths.content_dir, *GENERATOR]
    return old, new, ref, changed_files(repo, ref, folders)


def changed_files(repo: Path, ref: str, folders: list[Path]) -> list[tuple[str, str]]:
    """(file, how) for each file under the folders that differs from ref, renames as renames,
    files not yet added to git included. Folders outside the repository are left out."""
    inside = [str(f.resolve()) for f in folders if f.resolve().is_relative_to(repo)]
    if not inside:
        return []
    status = git(["diff", "--name-status", "--find-renames", ref, "--", *inside], repo)
    found = {}
    for line in status.splitlines():
        how, *names = line.split("\t")
        found[" → ".join(names)] = FILE_CHANGES.get(how[0], how)
    for name in git(["ls-files", "--others", "--exclude-standard", "--", *inside],
                    repo).splitlines():
        found[name] = "added (not yet in git)"
    return sorted(found.items())


def revision(data_dir: Path, content_dir: Path) -> Revision:
    """Load one side of the diff."""
    data = load_data(data_dir)
    return Revision(data, load_pages(content_dir, data), recompute_claims(data), words_of(data))


def merge_base(repo: Path) -> str:
    """Where this branch left main: the local main, or else the remote's (a clone of one
    branch, or a CI checkout, often has no local main)."""
    for branch in BASE_BRANCHES:
        found = subprocess.run(["git", "-C", str(repo), "merge-base", "HEAD", branch],
                               capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.strip()
    stop(f"no {' or '.join(BASE_BRANCHES)} here to compare with: name the commit or branch, "
         "as in `build.py diff origin/main` (after `git fetch origin main`)")


def commit_of(ref: str, repo: Path) -> str:
    """The commit a ref names, or a clear stop when it names none."""
    found = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet",
                            f"{ref}^{{commit}}"], capture_output=True, text=True)
    if found.returncode != 0:
        stop(f"'{ref}' names no commit in this repository (a branch, tag or commit id; "
             "`git fetch` brings one from the remote)")
    return ref


def stop(message: str) -> NoReturn:
    """End the command with a bad-command-line status: the ref is the caller's mistake."""
    print(f"build.py diff: {message}", file=sys.stderr)
    raise SystemExit(2)


def git(args: list[str], where: Path) -> str:
    """Run git in the repository that holds `where`."""
    found = subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True)
    if found.returncode != 0:
        stop(f"git {' '.join(args)} failed: {found.stderr.strip()}")
    return found.stdout
