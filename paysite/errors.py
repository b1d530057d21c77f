"""Errors: one located problem per input mistake, and the one exception that carries them.

Every stage collects its problems and raises them together as a `BuildError`; the command
line prints each as `path:line:col: message` and exits with status 1.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import os
import sys
from pathlib import Path
from typing import Iterable

EXIT_OK, EXIT_INPUT_ERROR = 0, 1  # argparse itself exits with 2 on a bad command line
EXIT_OUTPUT_LOST = 120  # what was printed could not be written (Python's own status for it)
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it (128 + SIGINT)


def exit_at_once(status: int) -> None:
    """End the process with this status once its output is flushed, without the interpreter's
    teardown: freeing every module and object (Altair's schema classes, vl-convert's engine)
    takes 30-90 ms after a build that has already written site/ whole and stopped its
    workers. mypy ends the same way (mypy.util.hard_exit). For the command line only: a
    caller of main() in this process keeps its interpreter.

    Output that cannot be written (a full disk) ends with EXIT_OUTPUT_LOST and a line saying
    so; a reader that went away (`build.py diff | head`) is not an error. Worker processes
    still running (a second Ctrl-C cut their shutdown short) are stopped. Under a profiler
    or a coverage tool, which write their report at exit, the interpreter ends as usual."""
    if sys.gettrace() or sys.getprofile():
        sys.exit(status)
    if "multiprocessing" in sys.modules:
        for worker in sys.modules["multiprocessing"].active_children():
            worker.terminate()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            pass
        except (OSError, ValueError) as error:
            status = EXIT_OUTPUT_LOST
            with contextlib.suppress(OSError, ValueError):
                os.write(2, f"the output could not be written: {error}\n".encode())
    os._exit(status)


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
