"""The data diff: what a change to data/ does, as Markdown for a pull request's reviewers
(figures added, removed and changed, claims recomputed differently, pages affected).
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .claims import Recomputed, recompute_claims
from .load import load_data
from .model import Dataset, Figure, source_counts
from .pages import Page, load_pages
from .pipeline import Paths
from .text import findings, format_figure, result_words
from .vocabulary import STATS


def data_diff(paths: Paths, ref: str | None) -> str:
    """Markdown for reviewers: figures added, removed and changed, claims, pages affected."""
    repo = Path(git(["rev-parse", "--show-toplevel"], paths.data_dir).strip())
    ref = ref or git(["merge-base", "HEAD", "main"], repo).strip()
    data_rel = paths.data_dir.resolve().relative_to(repo)
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", ref,
                                  str(data_rel)], capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        old = load_data(Path(folder) / data_rel)
    new = load_data(paths.data_dir)
    pages = load_pages(paths.content_dir, new)
    return diff_markdown(old, new, pages, ref)


def figure_key(fig: Figure) -> tuple:
    return (fig.source, fig.role, fig.dimension, fig.group, fig.measure, fig.stat, fig.scope)


def diff_markdown(old: Dataset, new: Dataset, pages: tuple[Page, ...], ref: str) -> str:
    """Compare two data sets figure by figure and claim by claim."""
    before = {figure_key(f): f for f in old.figures}
    after = {figure_key(f): f for f in new.figures}
    changed = [(before[k], after[k]) for k in after if k in before
               and dataclasses.astuple(before[k]) != dataclasses.astuple(after[k])]
    added = [after[k] for k in after if k not in before]
    removed = [before[k] for k in before if k not in after]
    audits = recompute_claims(old), recompute_claims(new)
    claims = changed_claims(*audits)
    lines = [f"## Data changes since `{ref[:12]}`", ""]
    if not (changed or added or removed or claims):
        return "\n".join(lines + ["No figure or claim changed.", ""])
    def where(fig: Figure) -> str:
        return (f"{fig.source} · {fig.role} · {fig.dimension} · {fig.group} · "
                f"{fig.measure} · {STATS[fig.stat]}" + (f" ({fig.scope})" if fig.scope else ""))
    if changed:
        lines += [f"### Figures changed ({len(changed)})", "",
                  "| Figure | Old | New | Pages |", "|---|---|---|---|"]
        lines += [f"| {where(b)} | {format_figure(a, a.unit)} | {format_figure(b, b.unit)} | "
                  f"{pages_of(b, pages)} |" for a, b in changed]
        lines.append("")
    for title, figs in (("added", added), ("removed", removed)):
        if figs:
            lines += [f"### Figures {title} ({len(figs)})", "", "| Figure | Value | Pages |",
                      "|---|---|---|"]
            lines += [f"| {where(f)} | {format_figure(f, f.unit)} | {pages_of(f, pages)} |"
                      for f in figs]
            lines.append("")
    if claims:
        lines += [f"### Claims recomputed differently ({len(claims)})", "",
                  "| Claim | Before | After |", "|---|---|---|"]
        for a, b in claims:
            claim = (b or a).claim
            lines.append(f"| {claim.id}: “{claim.as_stated}” | {result_words(a)} | "
                         f"{result_words(b)} |")
        lines.append("")
    lines += ["### Pages affected", "",
              ", ".join(pages_affected(old, new, audits, pages)) or "none", ""]
    return "\n".join(lines)


def changed_claims(old_audit: tuple[Recomputed, ...], new_audit: tuple[Recomputed, ...]
                   ) -> list[tuple[Recomputed | None, Recomputed | None]]:
    """Claims added, removed, or recomputed to another value or verdict: (before, after)."""
    before = {r.claim.id: r for r in old_audit}
    after = {r.claim.id: r for r in new_audit}
    def state(result: Recomputed | None) -> tuple | None:
        return result and (result.verdict, round(result.low, 1), round(result.high, 1))
    return [(before.get(key), after.get(key))
            for key in [*after, *(key for key in before if key not in after)]
            if state(before.get(key)) != state(after.get(key))]


def pages_affected(old: Dataset, new: Dataset, audits: tuple, pages: tuple[Page, ...]
                   ) -> list[str]:
    """Pages whose output the change moves: a chart's table, the audit summary, a count."""
    from . import charts  # imports Altair, as the build does: only when charts are compared
    charts.check_names(pages)
    moved = {name for name in {n for p in pages for n in p.charts}
             if charts.KINDS[name].make(old, audits[0]).table
             != charts.KINDS[name].make(new, audits[1]).table}
    summary_moved = findings(old, audits[0]) != findings(new, audits[1])
    counts_moved = ((source_counts(old, old.figures), source_counts(old, old.claims))
                    != (source_counts(new, new.figures), source_counts(new, new.claims)))
    return sorted(p.out_name for p in pages
                  if moved & set(p.charts) or (summary_moved and p.template == "home")
                  or (counts_moved and p.template == "sources"))


def pages_of(fig: Figure, pages: tuple[Page, ...]) -> str:
    return ", ".join(p.out_name for p in pages if p.dimension == fig.dimension) or "none"


def git(args: list[str], where: Path) -> str:
    """Run git in the repository that holds `where`."""
    return subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True,
                          check=True).stdout
