#!/usr/bin/env python3
"""How long a save takes to reach the reader in `build.py serve`: from the file's write to
the open page's reload (its `load` event), in a real Chromium, for a sentence edit and for a
figure edit, on a copy of the real site.

    .venv/bin/python benchmarks/serve_latency.py [--edits 5]

Called by bench.py; prints JSON when run alone. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(copy: Path, port: int, tree: Path = ROOT) -> subprocess.Popen:
    """`build.py serve` of one checkout (`tree`) on the copy, once its first build is
    served."""
    server = subprocess.Popen(
        [sys.executable, str(tree / "build.py"), "serve", "--port", str(port),
         "--data", str(copy / "data"), "--content", str(copy / "content"),
         "--templates", str(copy / "templates"), "--cache", str(copy / "cache")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in server.stdout:  # "serving a preview at ..." once the first build is done
        if line.startswith("serving"):
            return server
    raise RuntimeError("the preview server did not start")


def edit_latency(page, path: Path, old: str, new: str) -> float:
    """Replace `old` by `new` in a file; seconds from the write to the page's reload."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    with page.expect_event("load", timeout=30_000):
        started = time.perf_counter()
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return time.perf_counter() - started


def measure_serve(edits: int = 5, tree: Path = ROOT) -> dict:
    """Median save-to-reload seconds for sentence and figure edits, each edit different."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder)
        for name in ("data", "content", "templates"):
            shutil.copytree(ROOT / name, copy / name)
        port = free_port()
        server = start_server(copy, port, tree)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"http://127.0.0.1:{port}/location.html")
                sentence, figure = [], []
                content = copy / "content" / "location.md"
                data = copy / "data" / "location.yaml"
                for i in range(edits):
                    time.sleep(0.5)  # the watcher settles between edits
                    sentence.append(edit_latency(page, content, f"Only one source{' ' * i}",
                                                 f"Only one source{' ' * (i + 1)}"))
                    time.sleep(0.5)
                    figure.append(edit_latency(page, data, f"value: {182500 + i}",
                                               f"value: {182500 + i + 1}"))
                browser.close()
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    return {"sentence_edit_s": statistics.median(sentence),
            "figure_edit_s": statistics.median(figure), "edits": edits,
            "sentence_edits_s": sentence, "figure_edits_s": figure}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=5)
    print(json.dumps(measure_serve(parser.parse_args().edits), indent=1))


if __name__ == "__main__":
    main()
