#!/usr/bin/env python3
"""Build the ML-engineer-vs-software-engineer pay site: the command users run. It reads the
command line and calls the `paysite` package beside it (ARCHITECTURE.md); see `--help`."""

import argparse
import sys
from pathlib import Path

from paysite.errors import (EXIT_INPUT_ERROR, EXIT_INTERRUPTED, EXIT_OK, BuildError,
                            failure_line, flushed, report_bug)

ROOT = Path(__file__).resolve().parent

COMMANDS = """commands:
  build          build site/ (the default)
  serve          build, serve on localhost, rebuild and reload on every save
  diff [REF]     print every change since REF (default: the merge base with main)
                 as Markdown; with --html FILE also the page with charts before/after
  schemas        write the JSON Schemas editors use to schemas/

exit status: 0 done; 1 an input has mistakes (each printed as path:line:col: message);
  2 bad command line; 70 a bug in the generator (an unexpected exception: its traceback is
  printed); 120 output not written; 130 interrupted (Ctrl-C). On 1 and 70 site/ is as it was."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the ML-vs-SWE pay site from data/ and content/.",
        epilog=COMMANDS, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("command", nargs="?", default="build", choices=["build", "serve", "diff", "schemas"],
        help="what to do")
    add("ref", nargs="?", help="for diff: the git ref to compare with")
    add("--data", type=Path, default=ROOT / "data", help="data folder")
    add("--content", type=Path, default=ROOT / "content", help="Markdown pages folder")
    add("--templates", type=Path, default=ROOT / "templates", help="templates and assets folder")
    add("--out", type=Path, default=ROOT / "site", help="output folder")
    add("--cache", type=Path, default=ROOT / ".cache", help="cache folder (default: .cache)")
    add("--no-cache", action="store_true", help="draw every chart afresh")
    add("--port", type=int, default=8000, help="for serve: the port")
    add("--html", type=Path, help="for diff: also write the 'what changed' page there")
    add("-q", "--quiet", action="store_true", help="print nothing on success")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run one command: a located line per input mistake, a traceback for a bug."""
    args = parse_args(argv)
    from paysite.pipeline import Paths, build, describe_build
    paths = Paths(args.data, args.content, args.templates, args.out,
                  None if args.no_cache else args.cache)
    try:
        if args.command == "serve":
            from paysite.serve import serve  # the web server and file watcher: only here
            return serve(paths, args.port)
        if args.command == "diff":
            from paysite.changes import review  # git and the old data: only here
            print(review(paths, args.ref, args.html), end="")
        elif args.command == "schemas":
            from paysite.schemas import write_schemas
            write_schemas(ROOT / "schemas")
        else:
            summary = build(paths)
            if not args.quiet:
                print(describe_build(summary, args.out))
    except BuildError as error:
        print(f"{error}\n{failure_line(args.command, error, args.out)}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except KeyboardInterrupt:  # site/ is the old site or the new one, whole
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:  # not a mistake in the input: the generator's own fault
        return report_bug(args.out)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(flushed(main()))
