"""The live preview: build, serve site/ on localhost, rebuild on every save and reload the
open pages; a failed build's messages show in the terminal and on the page.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import signal
import sys
import tempfile
import threading
import traceback
import urllib.parse
from pathlib import Path

from watchfiles import watch

from .errors import EXIT_OK, BuildError
from .pipeline import Paths, build, describe_build


LIVE = "/__live/"  # served only by `serve`, never written into site/


RELOAD_SCRIPT = """\
// Live preview: reload when a rebuild finishes; show a failed build's messages.
(function () {
  "use strict";
  var generation = new URL(document.currentScript.src).searchParams.get("g");
  function show(error) {
    var box = document.getElementById("live-error");
    if (!error) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "live-error";
      box.setAttribute("role", "alert");
      box.className = "live-error";
      document.body.prepend(box);
    }
    box.textContent = "Build failed; the page shows the last good build.\\n\\n" + error;
  }
  // The server answers when a build finishes (or after a while with nothing new), so the
  // page reloads as soon as the rebuild is written, without polling on a timer.
  var shown = "0";  // which build outcome the page shows (each error has its own number)
  function poll() {
    fetch("%sstate?g=" + generation + "&e=" + shown, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (String(state.generation) !== generation) { location.reload(); return; }
        shown = String(state.outcome);
        show(state.error);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
""" % LIVE


@dataclasses.dataclass
class LiveState:
    """What the preview server tells open pages: which build they show, and its errors."""

    generation: int = 0  # the good build pages show
    outcome: int = 0  # every build's number, good or failed: a page shows one of them
    error: str = ""
    closing: bool = False
    changed: threading.Condition = dataclasses.field(default_factory=threading.Condition)

    def publish(self, error: str = "", built: bool = False) -> None:
        """Record a build's outcome and wake every page waiting for news."""
        with self.changed:
            self.error = error
            self.generation += 1 if built else 0
            self.outcome += 1
            self.changed.notify_all()

    def close(self) -> None:
        """Answer every waiting page at once: the preview is stopping."""
        with self.changed:
            self.closing = True
            self.changed.notify_all()

    def wait(self, generation: str, outcome: str, timeout: float = 20.0) -> None:
        """Return when the build or its outcome differs from what a page shows, when the
        preview stops, or at timeout."""
        with self.changed:
            self.changed.wait_for(lambda: self.closing or str(self.generation) != generation
                                  or str(self.outcome) != outcome, timeout)


def rebuild(paths: Paths, state: LiveState) -> None:
    """Build once for the preview, reporting in the terminal and to open pages."""
    try:
        summary = build(paths)
    except BuildError as error:
        state.publish(str(error))
        print(f"{error}\nbuild failed: {len(error.problems)} problem(s); still serving the "
              "last good build", file=sys.stderr, flush=True)
        return
    except Exception as error:  # a bug: its traceback, and the preview keeps serving
        traceback.print_exc()
        state.publish(f"a bug in the generator ({type(error).__name__}: {error}); its "
                      f"traceback is in the terminal")
        print("build failed: this is a bug in the generator, not a mistake in your input; "
              "still serving the last good build", file=sys.stderr, flush=True)
        return
    state.publish(built=True)
    print(describe_build(summary, paths.site_dir), flush=True)


class LiveHandler(http.server.SimpleHTTPRequestHandler):
    """Serves site/, with the reload script added to every page."""

    def __init__(self, *args, site_dir: Path, state: LiveState, **kwargs):
        self.state = state
        super().__init__(*args, directory=str(site_dir), **kwargs)

    def log_message(self, *args):
        pass

    def send_bytes(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == f"{LIVE}state":
            asked = urllib.parse.parse_qs(query)
            if "g" in asked:  # a page waiting for news: answer when there is some
                self.state.wait(asked["g"][0], asked.get("e", ["0"])[0])
            body = json.dumps({"generation": self.state.generation,
                               "outcome": self.state.outcome, "error": self.state.error})
            return self.send_bytes(body.encode("utf-8"), "application/json")
        if path == f"{LIVE}reload.js":
            return self.send_bytes(RELOAD_SCRIPT.encode("utf-8"), "text/javascript")
        if path.endswith("/"):
            path += "index.html"
        if path.endswith(".html"):
            return self.send_page(path)
        return super().do_GET()

    def send_page(self, path: str) -> None:
        tag = f'<script src="{LIVE}reload.js?g={self.state.generation}"></script>'
        file = Path(self.translate_path(path))
        if file.is_file():
            html = file.read_text(encoding="utf-8")
        else:
            html = ("<!DOCTYPE html><html lang=en><title>No build yet</title><body>"
                    "<p>No good build to show yet.</p></body></html>")
        self.send_bytes(html.replace("</body>", f"{tag}\n</body>", 1).encode("utf-8"),
                        "text/html; charset=utf-8")


def serve(paths: Paths, port: int) -> int:
    """Build into a temporary folder, serve it on localhost, and rebuild on every change to
    the inputs. site/ is never written: `make site` is the one command that writes it."""
    with tempfile.TemporaryDirectory(prefix="paysite-preview-") as folder:
        preview = dataclasses.replace(paths, site_dir=Path(folder) / "site", manifest=False)
        return serve_preview(preview, port)


def serve_preview(paths: Paths, port: int) -> int:
    """Serve paths.site_dir until Ctrl-C, rebuilding it on every save."""
    stop = threading.Event()

    def request_stop(signum, frame) -> None:
        """Ctrl-C (or SIGTERM) stops once the build under way is written; a second, at once."""
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    state = LiveState()
    rebuild(paths, state)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(
        LiveHandler, site_dir=paths.site_dir, state=state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving a preview at http://127.0.0.1:{server.server_address[1]}/ ; saving a file "
          "in data/, content/ or templates/ rebuilds it (site/ is left alone: make site "
          "writes it). Ctrl-C stops.", flush=True)
    try:
        for _ in watch(paths.data_dir, paths.content_dir, paths.templates_dir,
                       debounce=50, step=20, stop_event=stop):
            rebuild(paths, state)
    except KeyboardInterrupt:
        pass
    finally:
        state.close()  # pages waiting for news are answered, so their threads end
        server.shutdown()
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("stopped", flush=True)
    return EXIT_OK
