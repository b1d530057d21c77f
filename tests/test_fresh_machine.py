"""A machine with no Chromium, Java, poppler or actionlint: the suite still collects and
passes, skipping what needs them and saying how to install it all; with CI set, it fails."""

import os
import subprocess
import sys
from pathlib import Path

from checks import INSTALL_ALL
from conftest import ROOT

# Two modules whose every test needs Chromium (they skip whole, at collection), and two tests
# that ask for Java and for Node.js where they run.
NEEDING_TOOLS = ["tests/test_browser.py", "tests/test_edition.py",
                 "tests/test_site_checks.py::test_html_is_valid",
                 "tests/test_editing.py::test_workflows_pass_actionlint"]


def pytest_without_tools(*arguments: str, ci: bool) -> subprocess.CompletedProcess:
    """Run pytest with only the venv's own folder on PATH: no chromium, java, node,
    pdftotext, all of which the tests find on PATH alone."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("CI", "PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST")}
    env["PATH"] = str(Path(sys.executable).parent)
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           *arguments], cwd=ROOT, env=env, capture_output=True, text=True)


def test_without_the_tools_the_whole_suite_collects():
    result = pytest_without_tools("--collect-only", ci=False)
    assert result.returncode == 0, result.stdout + result.stderr  # 2 on a collection error
    assert "Skipped, for want of a tool (tests or modules): Chromium (2)." in result.stdout


def test_without_the_tools_their_tests_skip_and_the_run_says_how_to_install():
    result = pytest_without_tools(*NEEDING_TOOLS, ci=False)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout[result.stdout.index("tools missing"):].splitlines()
    assert summary[1:3] == [
        "Skipped, for want of a tool (tests or modules): Chromium (2), Java (for vnu.jar) (1), "
        "Node.js (1).", f"Install them all (Debian, as root): {INSTALL_ALL}"], result.stdout


def test_with_ci_set_a_missing_tool_fails():
    result = pytest_without_tools(*NEEDING_TOOLS[:1], ci=True)
    assert result.returncode != 0
    assert "CI is set but Chromium is missing" in result.stdout, result.stdout
