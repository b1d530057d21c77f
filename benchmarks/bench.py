#!/usr/bin/env python3
"""Measure the build as whole processes, against a plain PyYAML + Markdown + Jinja2 floor.

    .venv/bin/python benchmarks/bench.py [--out benchmarks/results.json] [--repeat 3]

(a) the real site: cold (no cache), warm (nothing changed), one sentence changed, one figure
    changed, each a whole process (median of --repeat); the cold build's peak memory and CPU
    time; and a build that makes everything again but the drawings (all in the cache);
(b) synthetic sites of 100 and 1000 pages of about 600 words, without and with three charts
    per page, next to a floor loop over the same pages (written below, run the same way);
(c) what a reader downloads: the home page with every script and style, and one further
    page once those are cached, raw and gzipped;
(d) the live preview: save to reload in Chromium (serve_latency.py);
(e) the reader's side in Chromium at 390 px, normal and with the CPU slowed 4x (reader.py);
and the machine's speed before and after, as the time of a fixed loop (`cpu_loop_s`).

Prints a table and writes it as JSON. Not part of the test suite: tests check behaviour.
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
        body = "\n\n".join(f"## Part {j}\n\n" + paragraph(rng, 95) + "\n\n- a list item\n"
                           for j in range(6))
        (content / f"page-{i:04d}.md").write_text(
            f"---\ntitle: Page {i}\nsummary: Synthetic page {i}.\norder: {i}\n"
            f"{chart_line}---\n{body}\n", encoding="utf-8")
    shutil.copytree(ROOT / "templates", folder / "templates")


def timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def build_command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [PYTHON, str(ROOT / "build.py"), "--data", str(folder / "data"), "--content",
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
    Altair specs and the site, with every chart's SVGs in the render cache (`cache/render`,
    filled by an earlier build). The part of a cold build that more cores would not shorten."""
    for name in ("charts", "data", "templates"):
        shutil.rmtree(cache / name, ignore_errors=True)
    (cache / "site-manifest.json").unlink(missing_ok=True)
    return timed(command)


def real_site(repeat: int, work: Path) -> dict:
    """The real site on a copy: cold, nothing changed, one sentence and one figure changed."""
    copy = work / "real"
    for name in ("data", "content", "templates"):
        shutil.copytree(ROOT / name, copy / name)
    out, cache = copy / "site", copy / "cache"
    cold = [timed(build_command(copy, out, "--no-cache")) for _ in range(repeat)]
    cached = build_command(copy, out, "--cache", str(cache))
    timed(cached)
    warm = [timed(cached) for _ in range(repeat)]
    sentence, figure = [], []
    for i in range(repeat):  # each edit different, so every build has work to do
        edited(copy / "content" / "location.md", f"Only one source{' ' * i}",
               f"Only one source{' ' * (i + 1)}")
        sentence.append(timed(cached))
        edited(copy / "data" / "location.yaml", f"value: {182500 + i}",
               f"value: {182500 + i + 1}")
        figure.append(timed(cached))
    peak = build_command(copy, work / "peak", "--no-cache")
    used = [usage(peak) for _ in range(repeat)]
    return {"cold_s": statistics.median(cold), "warm_unchanged_s": statistics.median(warm),
            "one_sentence_changed_s": statistics.median(sentence),
            "one_figure_changed_s": statistics.median(figure),
            "cold_peak_memory_mb": statistics.median(u["peak_memory_mb"] for u in used),
            "cold_cpu_s": statistics.median(u["cpu_s"] for u in used),
            "drawings_cached_s": statistics.median(drawings_cached(cached, cache)
                                                   for _ in range(repeat))}


def synthetic(pages: int, charts: bool, repeat: int, work: Path) -> dict:
    folder = work / f"synthetic-{pages}-{'charts' if charts else 'plain'}"
    synthetic_site(folder, pages, charts)
    floor_script = work / "floor.py"
    floor_script.write_text(FLOOR)
    out, cache = folder / "site", folder / "cache"
    floor, cold, one_job = [], [], []
    for _ in range(repeat):  # interleaved, so all three see the same machine
        floor.append(timed([PYTHON, str(floor_script), str(folder / "content"),
                            str(work / "floor")]))
        cold.append(timed(build_command(folder, out, "--no-cache")))
        one_job.append(timed(build_command(folder, out, "--no-cache", "--jobs", "1")))
    timed(build_command(folder, out, "--cache", str(cache)))
    warm = [timed(build_command(folder, out, "--cache", str(cache))) for _ in range(repeat)]
    return {"pages": pages, "charts_per_page": 3 if charts else 0, "floor_s": middle(floor),
            "cold_s": middle(cold), "cold_one_job_s": middle(one_job),
            "warm_unchanged_s": middle(warm), "cold_vs_floor": middle(cold) / middle(floor),
            "cold_one_job_vs_floor": middle(one_job) / middle(floor),
            "warm_vs_floor": middle(warm) / middle(floor)}


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
    args = parser.parse_args()
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                           "cpu_loop_s_before": cpu_loop_s()}}
    # Measured as an editor's second run finds the code: compiled once to __pycache__ (Python
    # does so on the first run unless PYTHONDONTWRITEBYTECODE is set, as it may be in CI).
    # The floor's libraries are installed compiled alike.
    compileall.compile_dir(ROOT / "paysite", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        results["real_site"] = real_site(args.repeat, work)
        results["synthetic"] = [synthetic(n, charts, args.repeat, work)
                                for n in args.sizes for charts in (False, True)]
    results["page_weight"] = page_weight(ROOT / "site")
    results["serve"] = measure_serve(args.repeat)
    results["reader"] = measure_reader(ROOT / "site", args.repeat)
    results["machine"]["cpu_loop_s_after"] = cpu_loop_s()
    real = results["real_site"]
    print(f"machine: a fixed loop took {results['machine']['cpu_loop_s_before']:.2f} s before, "
          f"{results['machine']['cpu_loop_s_after']:.2f} s after")
    print(f"real site: cold {real['cold_s']:.2f} s, warm (nothing changed) "
          f"{real['warm_unchanged_s']:.2f} s, one sentence changed "
          f"{real['one_sentence_changed_s']:.2f} s, one figure changed "
          f"{real['one_figure_changed_s']:.2f} s; cold peak memory "
          f"{real['cold_peak_memory_mb']:.0f} MB")
    print(f"a cold build's CPU time: {real['cold_cpu_s']:.2f} s over all processes, "
          f"{real['cold_cpu_s'] / results['machine']['cpus']:.2f} s a core; everything made "
          f"again but the drawings: {real['drawings_cached_s']:.2f} s")
    print(f"live preview, save to reload: sentence {results['serve']['sentence_edit_s']:.2f} s, "
          f"figure {results['serve']['figure_edit_s']:.2f} s")
    print(f"{'pages':>6} {'charts':>6} {'floor s':>8} {'cold s':>8} {'1 job s':>8} "
          f"{'warm s':>8} {'cold/floor':>10} {'1 job/floor':>11} {'warm/floor':>10}")
    for row in results["synthetic"]:
        print(f"{row['pages']:>6} {row['charts_per_page']:>6} {row['floor_s']:>8.2f} "
              f"{row['cold_s']:>8.2f} {row['cold_one_job_s']:>8.2f} "
              f"{row['warm_unchanged_s']:>8.2f} {row['cold_vs_floor']:>10.2f} "
              f"{row['cold_one_job_vs_floor']:>11.2f} {row['warm_vs_floor']:>10.2f}")
    weight = results["page_weight"]
    print(f"home page + assets: {weight['home_with_assets_raw']:,} B raw, "
          f"{weight['home_with_assets_gzip']:,} B gzipped; further page: "
          f"{weight['further_page_raw']:,} B raw, {weight['further_page_gzip']:,} B gzipped")
    args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
