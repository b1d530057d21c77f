"""Errors: one located problem per input mistake, and the one exception that carries them.

Every stage collects its problems and raises them together as a `BuildError`; the command
line prints each as `path:line:col: message` and exits with status 1.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import sys
import traceback
from pathlib import Path
from typing import Iterable

EXIT_OK, EXIT_INPUT_ERROR = 0, 1  # argparse itself exits with 2 on a bad command line
EXIT_BUG = 70  # an unexpected exception: a bug in the generator (sysexits' EX_SOFTWARE)
EXIT_OUTPUT_LOST = 120  # what was printed could not be written (Python's own status for it)
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it (128 + SIGINT)


def report_bug(out: Path) -> int:
    """Print the traceback of the exception being handled, say it is a bug, and give the
    status for one."""
    traceback.print_exc()
    print(f"this is a bug in the generator, not a mistake in your input; please report it "
          f"with the traceback above ({display_path(out)} was not changed)", file=sys.stderr)
    return EXIT_BUG


def failure_line(command: str, error: BuildError, out: Path) -> str:
    """The last line of a command stopped by mistakes in the input: how many, and, for a
    build, that the output folder is as it was (diff and schemas write no site)."""
    kept = f"; {display_path(out)} was not changed" if command == "build" else ""
    return f"{command} failed: {len(error.problems)} problem(s){kept}"


def flushed(status: int) -> int:
    """The status once the output is written: EXIT_OUTPUT_LOST, with a line saying so, when
    it cannot be (a full disk); a reader that went away (`build.py diff | head`) is no error.
    Output that cannot be written goes to os.devnull, so the interpreter's exit is quiet."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except OSError as error:
        print(f"the output could not be written: {error}", file=sys.stderr)
        status = EXIT_OUTPUT_LOST
    else:
        return status
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return status


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One input mistake, located in a file."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class BuildError(Exception):
    """Every input mistake of one stage, reported together."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """Name a file relative to the working folder when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def outside_link_problem(path: Path, folder: Path) -> Problem | None:
    """Refuse a file that is a symbolic link leading out of its folder: nothing outside the
    project's folders is ever read."""
    if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
        return Problem(display_path(path), 1, 1, f"is a link to {path.resolve()}, outside "
                       f"{display_path(folder)}/; copy the file here instead of linking it")
    return None


def unknown(kind: str, value: str, known: Iterable[str]) -> str:
    """Word an unknown-id message with the ids that would be accepted, and the nearest."""
    known = sorted(known)
    return f"unknown {kind} {value!r} (known: {', '.join(known)}){did_you_mean(value, known)}"


def did_you_mean(value: object, known: Iterable[object], prefix: str = "") -> str:
    """'; did you mean 'Staff'?' for the nearest known name, or nothing when none is near."""
    near = difflib.get_close_matches(str(value), sorted(map(str, known)), n=1, cutoff=0.6)
    return f"; did you mean '{prefix}{near[0]}'?" if near else ""
