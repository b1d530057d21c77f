"""The pull-request flow (CONTRIBUTING, "How a change is published"): pull requests carry
inputs only, and the review diff reaches the reviewer as a comment, or for a fork the run's
summary. The GitHub API is played by a small server on loopback."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT

COMMIT = ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-am"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def branch(tmp_path: Path) -> Path:
    """A repository whose main holds a data file, a date and a built page; a branch off it."""
    repo = tmp_path / "repo"
    for name, text in {"data/location.yaml": "value: 1\n", "data/site.yaml":
                       'title: T\nupdated: "2026-01-01"\n', "site/index.html": "<p>1</p>\n"}.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, *COMMIT, "main")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


def inputs_only(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / ".ci" / "inputs-only"), "main"], cwd=repo,
                          capture_output=True, text=True)


def test_a_pull_request_of_inputs_only_passes(branch):
    (branch / "data/location.yaml").write_text("value: 2\n")
    git(branch, *COMMIT, "a figure")
    result = inputs_only(branch)
    assert result.returncode == 0, result.stdout
    assert "inputs only" in result.stdout


def test_a_pull_request_carrying_built_files_or_the_date_is_told_to_drop_them(branch):
    (branch / "site/index.html").write_text("<p>2</p>\n")
    site = branch / "data/site.yaml"
    site.write_text(site.read_text().replace("2026-01-01", "2026-02-02"))
    git(branch, *COMMIT, "a figure and the site built from it")
    result = inputs_only(branch)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "This pull request changes built output, which main rebuilds after the merge:",
        "  site/index.html", "  data/site.yaml: updated:",
        "Drop those changes (git checkout main -- site/ data/site.yaml) and push again."]


class FakeGitHub(http.server.BaseHTTPRequestHandler):
    """The three calls post-review makes: list, edit and add a pull request's comments."""

    comments: list[dict] = []
    calls: list[str] = []

    def log_message(self, *args):
        pass

    def answer(self, value) -> None:
        body = json.dumps(value).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def sent(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_GET(self):
        self.calls.append(f"GET {self.path}")
        self.answer(self.comments)

    def do_POST(self):
        self.calls.append(f"POST {self.path}")
        url = f"http://{self.headers['Host']}/comments/{len(self.comments) + 1}"
        self.comments.append({"url": url, "body": self.sent()["body"]})
        self.answer(self.comments[-1])

    def do_PATCH(self):
        self.calls.append(f"PATCH {self.path}")
        index = int(self.path.rsplit("/", 1)[1]) - 1
        self.comments[index]["body"] = self.sent()["body"]
        self.answer(self.comments[index])


@pytest.fixture
def github():
    FakeGitHub.comments, FakeGitHub.calls = [], []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def post_review(tmp_path: Path, api: str, head_repo: str, diff: str):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 7, "head": {
        "repo": {"full_name": head_repo}}}}))
    (tmp_path / "diff.md").write_text(diff)
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "owner/site",
           "GITHUB_API_URL": api, "GITHUB_EVENT_PATH": str(event),
           "GITHUB_STEP_SUMMARY": str(summary), "PREVIEW_URL": "https://example.org/a/1"}
    result = subprocess.run([sys.executable, str(ROOT / ".ci" / "post-review"),
                             str(tmp_path / "diff.md")], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout, summary.read_text()


def test_the_review_diff_is_one_comment_edited_on_each_run(tmp_path, github):
    said, summary = post_review(tmp_path, github, "owner/site", "## Changes\n\nfirst\n")
    assert said == "review diff comment added\n" and "first" in summary
    said, _ = post_review(tmp_path, github, "owner/site", "## Changes\n\nsecond\n")
    assert said == "review diff comment edited\n"
    assert FakeGitHub.calls == ["GET /repos/owner/site/issues/7/comments?per_page=100",
                                "POST /repos/owner/site/issues/7/comments",
                                "GET /repos/owner/site/issues/7/comments?per_page=100",
                                "PATCH /comments/1"]
    [comment] = FakeGitHub.comments
    assert comment["body"].endswith("## Changes\n\nsecond\n")
    assert "[site-preview](https://example.org/a/1)" in comment["body"]


def test_a_forks_review_diff_goes_to_the_summary_only(tmp_path, github):
    said, summary = post_review(tmp_path, github, "someone/fork", "## Changes\n\nfork\n")
    assert said == "a fork's pull request: the review diff is in the run's summary\n"
    assert summary.endswith("## Changes\n\nfork\n\n") and FakeGitHub.calls == []
