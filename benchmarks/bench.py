#!/usr/bin/env python3
"""Measure the build as whole processes, against a plain PyYAML + Markdown + Jinja2 floor,
and, with --against, against another checkout of the generator (say, main before a change)
measured in turn with this one, round by round, so both see the same machine.

    .venv/bin/python benchmarks/bench.py [--against /tmp/old-checkout] [--repeat 3]
                                         [--out benchmarks/results.json] [--reader]

(a) the real site: cold (no cache), warm (nothing changed), one sentence changed, one figure
    changed, each a whole process (median of --repeat); the cold build's peak memory and CPU
    time; and a build that makes everything again but the drawings (all in the cache);
(b) synthetic sites of 100 and 1000 pages of about 600 words, without and with three charts
    per page, next to a floor loop over the same pages (written below, run the same way);
(c) what a reader downloads: the home page with every script and style, and one further
    page once those are cached, raw and gzipped;
(d) the live preview: save to reload in Chromium (serve_latency.py);
(e) with --reader, the reader's side in Chromium at 390 px, normal and with the CPU slowed
    4x (reader.py);
and the machine's speed before and after, as the time of a fixed loop (`cpu_loop_s`).

Prints a table and writes it as JSON. Not part of the test suite: tests check behaviour.
benchmarks/README.md says what the figures were and what they decided.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from conftest import SMALL_DATA, write_files  # noqa: E402
from serve_latency import measure_serve  # noqa: E402
from reader import measure_reader  # noqa: E402

PYTHON = sys.executable
FLOOR = '''
import sys
from pathlib import Path
import jinja2, markdown, yaml
content, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
template = jinja2.Environment(autoescape=True).from_string(
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{{ title }}</title></head>"
    "<body><main><h1>{{ title }}</h1>{{ body|safe }}</main></body></html>")
for path in sorted(content.glob("*.md")):
    _, front, body = path.read_text(encoding="utf-8").split("---\\n", 2)
    meta = yaml.safe_load(front)
    html = template.render(title=meta["title"], body=markdown.markdown(body))
    (out / f"{path.stem}.html").write_text(html, encoding="utf-8")
'''
CPU_LOOP = '''
import time
started = time.perf_counter()
total = 0
for i in range(20_000_000):
    total += i & 7
print(time.perf_counter() - started)
'''
WORDS = ("pay level engineer median range source figure market senior entry compensation "
         "equity startup company premium claim table chart learning model system").split()


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return textwrap.fill(text[0].upper() + text[1:] + ".", 90)


def synthetic_site(folder: Path, pages: int, charts: bool) -> None:
    """A small data set and `pages` pages of about 600 words each."""
    rng = random.Random(pages)
    write_files(folder / "data", SMALL_DATA)
    content = folder / "content"
    content.mkdir(parents=True)
    chart_line = "charts: [pay_by_level, premium_by_level, pay_by_city]\n" if charts else ""
    (content / "index.md").write_text(
        "---\ntitle: Home\nsummary: Synthetic.\norder: 0\ntemplate: home\n---\nHello.\n")
    for i in range(1, pages):
        body = "\n\n".join(f"## Part {chr(65 + j)}\n\n" + paragraph(rng, 95) + "\n\n- a list item\n"
                           for j in range(6))
        (content / f"page-{i:04d}.md").write_text(
            f"---\ntitle: Page {i}\nsummary: Synthetic page {i}.\norder: {i}\n"
            f"{chart_line}---\n{body}\n", encoding="utf-8")
    shutil.copytree(ROOT / "templates", folder / "templates")


def timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def build_command(tree: Path, folder: Path, out: Path, *extra: str) -> list[str]:
    """A build by the generator of one checkout (`tree`) of the site in `folder`."""
    return [PYTHON, str(tree / "build.py"), "--data", str(folder / "data"), "--content",
            str(folder / "content"), "--templates", str(folder / "templates"), "--out",
            str(out), "-q", *extra]


def middle(values: list[float]) -> float:
    """The median of some timings (the issue's measure: median of the rounds)."""
    return statistics.median(values)


def edited(path: Path, old: str, new: str) -> None:
    """Replace the first `old` by `new` in a file (an editor's save)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def usage(command: list[str]) -> dict:
    """What one run of a command used: its peak resident memory in MB (its own process's or
    its largest worker's) and its CPU time in seconds (user and system, every process)."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "stdout=subprocess.DEVNULL); u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(u.ru_maxrss, u.ru_utime + u.ru_stime)")
    found = subprocess.run([PYTHON, "-c", probe, *command], check=True, capture_output=True,
                           text=True)
    rss, cpu = found.stdout.split()
    return {"peak_memory_mb": int(rss) / 1024, "cpu_s": float(cpu)}


def drawings_cached(command: list[str], cache: Path) -> float:
    """One build that makes everything again but the drawings: the data set, the pages, the
    Altair specs and the site, with every chart's SVGs in the cache (filled by an earlier
    build: `svg/`, or `render/` in older checkouts), everything else in it removed."""
    for entry in cache.iterdir():
        if entry.is_dir() and entry.name not in ("svg", "render"):
            shutil.rmtree(entry)
        elif entry.is_file():
            entry.unlink()
    return timed(command)


def real_site(trees: dict[str, Path], repeat: int, work: Path) -> dict:
    """The real site on a copy per tree: cold, nothing changed, one sentence and one figure
    changed, memory and CPU, each tree in turn in every round."""
    runs = {label: {key: [] for key in ("cold", "warm", "sentence", "figure", "used",
                                        "drawings_cached")} for label in trees}
    for label in trees:
        for name in ("data", "content", "templates"):
            shutil.copytree(ROOT / name, work / label / "real" / name)
    for i in range(repeat):  # each edit different, so every build has work to do
        for label, tree in trees.items():
            copy, got = work / label / "real", runs[label]
            out, cache = copy / "site", copy / "cache"
            got["cold"].append(timed(build_command(tree, copy, out, "--no-cache")))
            cached = build_command(tree, copy, out, "--cache", str(cache))
            if i == 0:
                timed(cached)
            got["warm"].append(timed(cached))
            edited(copy / "content" / "location.md", f"Only one source{' ' * i}",
                   f"Only one source{' ' * (i + 1)}")
            got["sentence"].append(timed(cached))
            edited(copy / "data" / "location.yaml", f"value: {182500 + i}",
                   f"value: {182500 + i + 1}")
            got["figure"].append(timed(cached))
            got["used"].append(usage(build_command(tree, copy, work / label / "peak",
                                                   "--no-cache")))
            got["drawings_cached"].append(drawings_cached(cached, cache))
    return {label: {"cold_s": middle(got["cold"]), "warm_unchanged_s": middle(got["warm"]),
                    "one_sentence_changed_s": middle(got["sentence"]),
                    "one_figure_changed_s": middle(got["figure"]),
                    "cold_peak_memory_mb": middle([u["peak_memory_mb"] for u in got["used"]]),
                    "cold_cpu_s": middle([u["cpu_s"] for u in got["used"]]),
                    "drawings_cached_s": middle(got["drawings_cached"])}
            for label, got in runs.items()}


def synthetic(trees: dict[str, Path], pages: int, charts: bool, repeat: int,
              work: Path) -> dict:
    """A synthetic site built cold by each tree, and the floor loop, in turn every round."""
    folder = work / f"synthetic-{pages}-{'charts' if charts else 'plain'}"
    synthetic_site(folder, pages, charts)
    floor_script = work / "floor.py"
    floor_script.write_text(FLOOR)
    floor, cold, warm = [], {label: [] for label in trees}, {label: [] for label in trees}
    for i in range(repeat):
        floor.append(timed([PYTHON, str(floor_script), str(folder / "content"),
                            str(work / "floor")]))
        for label, tree in trees.items():
            out, cache = work / label / folder.name, work / label / f"{folder.name}-cache"
            cold[label].append(timed(build_command(tree, folder, out, "--no-cache")))
            cached = build_command(tree, folder, out, "--cache", str(cache))
            if i == 0:
                timed(cached)
            warm[label].append(timed(cached))
    return {"pages": pages, "charts_per_page": 3 if charts else 0, "floor_s": middle(floor),
            **{label: {"cold_s": middle(cold[label]), "warm_unchanged_s": middle(warm[label]),
                       "cold_vs_floor": middle([c / f for c, f in zip(cold[label], floor)]),
                       "warm_vs_floor": middle([w / f for w, f in zip(warm[label], floor)])}
               for label in trees}}


def cpu_loop_s() -> float:
    """How long this machine takes for a fixed pure-Python loop, in a fresh process: its
    speed at the time. This machine's speed drifts by a quarter from hour to hour, so
    results are compared by this, or against runs of the other code in the same hour."""
    found = subprocess.run([PYTHON, "-c", CPU_LOOP], check=True, capture_output=True, text=True)
    return round(float(found.stdout), 3)


def page_weight(site: Path) -> dict:
    """Bytes for the home page with its scripts and styles, and for a further page."""
    def sizes(paths: list[Path]) -> tuple[int, int]:
        raw = sum(p.stat().st_size for p in paths)
        zipped = sum(len(gzip.compress(p.read_bytes(), 9, mtime=0)) for p in paths)
        return raw, zipped
    assets = sorted((site / "assets").glob("*"))
    first = sizes([site / "index.html", *assets])
    further = sizes([site / "experience.html"])
    return {"home_with_assets_raw": first[0], "home_with_assets_gzip": first[1],
            "further_page_raw": further[0], "further_page_gzip": further[1],
            "assets": {p.name: sizes([p]) for p in assets}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--against", type=Path, help="another checkout, measured in turn")
    parser.add_argument("--reader", action="store_true", help="also measure the reader's side")
    args = parser.parse_args()
    trees = {"this": ROOT, **({"other": args.against.resolve()} if args.against else {})}
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                           "cpu_loop_s_before": cpu_loop_s()},
               "trees": {label: str(tree) for label, tree in trees.items()}}
    # Measured as an editor's second run finds the code: compiled once to __pycache__ (Python
    # does so on the first run unless PYTHONDONTWRITEBYTECODE is set, as it may be in CI).
    # The floor's libraries are installed compiled alike.
    for tree in trees.values():
        compileall.compile_dir(tree / "paysite", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        results["real_site"] = real_site(trees, args.repeat, work)
        results["synthetic"] = [synthetic(trees, n, charts, args.repeat, work)
                                for n in args.sizes for charts in (False, True)]
    results["page_weight"] = page_weight(ROOT / "site")
    results["serve"] = serve_in_turn(trees, args.repeat)
    if args.reader:
        results["reader"] = measure_reader(ROOT / "site", args.repeat)
    results["machine"]["cpu_loop_s_after"] = cpu_loop_s()
    report(results, trees)
    args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print(f"written to {args.out}")


def serve_in_turn(trees: dict[str, Path], repeat: int) -> dict:
    """The live preview of each tree, in turn, twice: the median of every edit's seconds."""
    edits = {label: {"sentence_edits_s": [], "figure_edits_s": []} for label in trees}
    for _ in range(2):
        for label, tree in trees.items():
            found = measure_serve(repeat, tree)
            for key in edits[label]:
                edits[label][key] += found[key]
    return {label: {"sentence_edit_s": middle(got["sentence_edits_s"]),
                    "figure_edit_s": middle(got["figure_edits_s"]), **got}
            for label, got in edits.items()}


def report(results: dict, trees: dict[str, Path]) -> None:
    """Print the results as a few lines and a table per tree."""
    machine = results["machine"]
    print(f"machine: a fixed loop took {machine['cpu_loop_s_before']:.2f} s before, "
          f"{machine['cpu_loop_s_after']:.2f} s after")
    for label, tree in trees.items():
        real, serve = results["real_site"][label], results["serve"][label]
        print(f"[{label}: {tree}]")
        print(f"  real site: cold {real['cold_s']:.2f} s, nothing changed "
              f"{real['warm_unchanged_s']:.2f} s, one sentence changed "
              f"{real['one_sentence_changed_s']:.2f} s, one figure changed "
              f"{real['one_figure_changed_s']:.2f} s; cold peak memory "
              f"{real['cold_peak_memory_mb']:.0f} MB, CPU {real['cold_cpu_s']:.2f} s; all but "
              f"the drawings {real['drawings_cached_s']:.2f} s")
        print(f"  live preview, save to reload: sentence {serve['sentence_edit_s']:.2f} s, "
              f"figure {serve['figure_edit_s']:.2f} s")
        for row in results["synthetic"]:
            got = row[label]
            print(f"  {row['pages']:>5} pages, {row['charts_per_page']} charts each: floor "
                  f"{row['floor_s']:.2f} s, cold {got['cold_s']:.2f} s "
                  f"({got['cold_vs_floor']:.2f}x), warm {got['warm_unchanged_s']:.2f} s")
    weight = results["page_weight"]
    print(f"home page + assets: {weight['home_with_assets_raw']:,} B raw, "
          f"{weight['home_with_assets_gzip']:,} B gzipped; further page: "
          f"{weight['further_page_raw']:,} B raw, {weight['further_page_gzip']:,} B gzipped")


if __name__ == "__main__":
    main()
