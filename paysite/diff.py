"""The review diff: everything a change to the inputs does, as Markdown for a pull request's
reviewers. It covers registries (renames shown as renames), figures, claims (their wording and
what they recompute to), page text (a word-level excerpt of each change), charts whose data
moved, templates, and the pages affected.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import re

from .affected import PAGE_FIELDS, charts_moved, pages_affected
from .model import Claim, Dataset, Figure
from .pages import Page
from .revisions import Revision
from .text import format_figure, result_words
from .vocabulary import STATS

# Registries compared entry by entry: (title, the Dataset field, what names an entry).
REGISTRIES = (("Sources", "sources"), ("Roles", "roles"), ("Levels", "ladder"),
              ("Cities", "cities"), ("Measures", "measures"))
QUIET_FILES = (".yaml", ".md")  # data and pages: their changes are read above, in full
CONTEXT_WORDS = 6  # words shown either side of a changed run of words
SAME_PAGE = 0.6  # share of words two pages have in common to count as one page renamed
LONG_TEXT = 80  # a changed value longer than this is shown as its changed words


def diff_markdown(old: Revision, new: Revision, ref: str, files: list[tuple[str, str]],
                  moved_charts: set[str] | None = None) -> str:
    """Every section that has something to say, then the pages affected (moved_charts: the
    charts whose data changed, when the caller has them already)."""
    templates = [name for name, _ in files if name.startswith("templates/")]
    renames = {field: renamed(getattr(old.data, field), getattr(new.data, field))
               for _, field in REGISTRIES}
    if moved_charts is None:
        moved_charts = charts_moved(old, new)
    sections = [*registry_sections(old.data, new.data, renames),
                *figure_sections(old, new, renames), *claim_sections(old, new),
                *page_sections(old.pages, new.pages), *chart_sections(moved_charts, new.pages),
                *table("Files changed", ["File", "Change"],
                       [[name, how] for name, how in files
                        if how == "renamed" or not name.endswith(QUIET_FILES)])]
    lines = [f"## Changes since `{ref[:12]}`", ""]
    if not sections:
        return "\n".join(lines + ["No input changed.", ""])
    affected = pages_affected(old, new, moved_charts, templates)
    return "\n".join(lines + sections + (
        table("Pages whose output changes", ["Page", "Why"], affected)
        or ["### Pages whose output changes", "", "none", ""]))


def table(title: str, columns: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown section with a table, or nothing when there are no rows."""
    if not rows:
        return []
    return [f"### {title} ({len(rows)})", "", "| " + " | ".join(columns) + " |",
            "|" + "---|" * len(columns), *("| " + " | ".join(cell(c) for c in row) + " |"
                                            for row in rows), ""]


def cell(value: object) -> str:
    """Text for one table cell: no pipe or line break can break the table."""
    return re.sub(r"\s+", " ", str(value)).replace("|", "\\|")


# --------------------------------------------------------------------------- registries

def renamed(before: dict[str, dict], after: dict[str, dict]) -> dict[str, str]:
    """Old id -> new id for entries that only changed their id."""
    gone = [key for key in before if key not in after]
    new = [key for key in after if key not in before]
    def rest(entry: dict) -> dict:
        return {k: v for k, v in entry.items() if k != "id"}
    return {old: match for old in gone for match in new if rest(before[old]) == rest(after[match])}


def registry_sections(old: Dataset, new: Dataset, renames: dict) -> list[str]:
    """Entries added, removed, renamed or changed, in each registry and the level mappings."""
    rows = []
    for title, field in REGISTRIES:
        before, after, moves = getattr(old, field), getattr(new, field), renames[field]
        rows += [[title, f"{key} → {moves[key]}", "renamed"] for key in moves]
        rows += [[title, key, f"added: {every_field(after[key])}"] for key in after
                 if key not in before and key not in moves.values()]
        rows += [[title, key, f"removed: {every_field(before[key])}"] for key in before
                 if key not in after and key not in moves]
        rows += [[title, key, change] for key in after if key in before
                 for change in field_changes(before[key], after[key])]
    for source in sorted(set(old.level_maps) | set(new.level_maps)):
        before, after = old.level_maps.get(source, {}), new.level_maps.get(source, {})
        rows += [["Level mappings", f"{source}: {label}", change]
                 for label in sorted(set(before) | set(after))
                 for change in field_changes(before.get(label, {}), after.get(label, {}))]
    rows += [["Site", key, change] for key, change in
             ((k, c) for k in ("title", "updated")
              for c in field_changes({k: old.site.get(k)}, {k: new.site.get(k)}))]
    return table("Registries changed", ["Registry", "Entry", "Change"], rows)


def every_field(entry: dict) -> str:
    """Every field of a new or removed entry, as 'field: value; …'."""
    return "; ".join(f"{key}: {shown(value)}" for key, value in sorted(entry.items())
                     if key != "id")


def shown(value: object) -> str:
    """A value as an editor writes it in YAML's short form, not as Python prints it: a
    mapping {key: value, …}, a list [a, b], a record its fields that are set."""
    if value is None:
        return "absent"
    if dataclasses.is_dataclass(value):
        value = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)
                 if field.repr and getattr(value, field.name) not in (None, (), [], {}, "")}
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {shown(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    return str(value)


def field_changes(before: dict, after: dict) -> list[str]:
    """One 'field: old → new' per field that differs."""
    return [change(key, before.get(key), after.get(key))
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]


def change(field: str, before: object, after: object) -> str:
    """'field: old → new', whole; a long text as the words that changed, in context."""
    old, new = (shown(value) for value in (before, after))
    if max(len(old), len(new)) <= LONG_TEXT:
        return f"{field}: {old} → {new}"
    return f"{field}: " + " ".join(word_changes(old.split(), new.split()))


# --------------------------------------------------------------------------- figures

def figure_key(fig: Figure) -> tuple:
    return (fig.source, fig.role, fig.dimension, fig.group, fig.measure, fig.stat, fig.scope)


def renamed_figure(fig: Figure, renames: dict) -> Figure:
    """An old figure with the ids its registries renamed, so a rename is not a new figure."""
    return dataclasses.replace(
        fig, source=renames["sources"].get(fig.source, fig.source),
        role=renames["roles"].get(fig.role, fig.role),
        group=renames["cities"].get(fig.group, fig.group),
        measure=renames["measures"].get(fig.measure, fig.measure),
        level=renames["ladder"].get(fig.level, fig.level))


def figure_sections(old: Revision, new: Revision, renames: dict) -> list[str]:
    """Figures changed (field by field), added and removed."""
    before = {figure_key(f): f for f in (renamed_figure(f, renames) for f in old.data.figures)}
    after = {figure_key(f): f for f in new.data.figures}
    changed = [[where(b), "; ".join(moved), pages_of(b, new.pages)]
               for k, b in after.items() if k in before
               for moved in [figure_changes(before[k], b)] if moved]
    added = [[where(f), format_figure(f, f.unit), pages_of(f, new.pages)]
             for k, f in after.items() if k not in before]
    removed = [[where(f), format_figure(f, f.unit), pages_of(f, old.pages)]
               for k, f in before.items() if k not in after]
    return (table("Figures changed", ["Figure", "Change", "Pages"], changed)
            + table("Figures added", ["Figure", "Value", "Pages"], added)
            + table("Figures removed", ["Figure", "Value", "Pages"], removed))


def figure_changes(before: Figure, after: Figure) -> list[str]:
    """What changed in one figure: its number as written, or any other field."""
    changes = []
    if (before.value, before.low, before.high, before.qualifiers) != (
            after.value, after.low, after.high, after.qualifiers):
        changes.append(f"{format_figure(before, before.unit)} → "
                       f"{format_figure(after, after.unit)}")
    # A figure's level comes from its source's level mapping: a change there is listed once,
    # under the registries, not again for every figure it places.
    changes += [change(field, getattr(before, field), getattr(after, field))
                for field in ("unit", "as_stated")
                if getattr(before, field) != getattr(after, field)]
    return changes


def where(fig: Figure) -> str:
    return (f"{fig.source} · {fig.role} · {fig.dimension} · {fig.group} · {fig.measure} · "
            f"{STATS[fig.stat]}" + (f" ({fig.scope})" if fig.scope else ""))


def pages_of(fig: Figure, pages: tuple[Page, ...]) -> str:
    return ", ".join(p.out_name for p in pages if p.dimension == fig.dimension) or "none"


# --------------------------------------------------------------------------- claims

def claim_sections(old: Revision, new: Revision) -> list[str]:
    """Claims added, removed and reworded, then those recomputed differently."""
    before = {c.id: c for c in old.data.claims}
    after = {c.id: c for c in new.data.claims}
    results = {r.claim.id: r for r in old.audit}, {r.claim.id: r for r in new.audit}
    added = [[c.id, c.as_stated, result_words(results[1].get(key))]
             for key, c in after.items() if key not in before]
    removed = [[c.id, c.as_stated, result_words(results[0].get(key))]
               for key, c in before.items() if key not in after]
    changed = [[key, "; ".join(claim_changes(before[key], c))] for key, c in after.items()
               if key in before and before[key] != c]
    # What a reviewer sees of a recomputed claim is what the site shows: its value in the
    # claim's own terms (a premium in whole percents) and its verdict. A change too small to
    # show is not listed: its row would read the same before and after.
    shown = {key: (result_words(results[0][key]), result_words(results[1][key]))
             for key in after if key in before}
    recomputed = [[f"{key}: “{after[key].as_stated}”", *words]
                  for key, words in shown.items() if words[0] != words[1]]
    return (table("Claims added", ["Claim", "As stated", "Recomputed, verdict"], added)
            + table("Claims removed", ["Claim", "As stated", "Was recomputed, verdict"],
                    removed)
            + table("Claims changed", ["Claim", "Change"], changed)
            + table("Claims recomputed differently", ["Claim", "Before", "After"], recomputed)
            + word_claim_sections(old, new))


def word_claim_sections(old: Revision, new: Revision) -> list[str]:
    """Claims in words added, removed, changed (quote, line, checks) and judged differently."""
    before = {r.claim.id: r for r in old.words}
    after = {r.claim.id: r for r in new.words}
    added = [[key, r.claim.as_stated, r.verdict.words] for key, r in after.items()
             if key not in before]
    removed = [[key, r.claim.as_stated, r.verdict.words] for key, r in before.items()
               if key not in after]
    changed = [[key, change(field.name, getattr(before[key].claim, field.name),
                            getattr(r.claim, field.name))]
               for key, r in after.items() if key in before
               for field in dataclasses.fields(r.claim)
               if getattr(before[key].claim, field.name) != getattr(r.claim, field.name)]
    judged = [[f"{key}: “{r.claim.as_stated}”", before[key].verdict.words, r.verdict.words]
              for key, r in after.items()
              if key in before and before[key].verdict != r.verdict]
    return (table("Claims in words added", ["Claim", "As stated", "Verdict"], added)
            + table("Claims in words removed", ["Claim", "As stated", "Verdict"], removed)
            + table("Claims in words changed", ["Claim", "Change"], changed)
            + table("Claims in words judged differently", ["Claim", "Before", "After"], judged))


def claim_changes(before: Claim, after: Claim) -> list[str]:
    """Each field of a claim that differs, as 'field: old → new'."""
    return [change(field.name, getattr(before, field.name), getattr(after, field.name))
            for field in dataclasses.fields(Claim)
            if getattr(before, field.name) != getattr(after, field.name)]


# --------------------------------------------------------------------------- pages

def page_sections(old: tuple[Page, ...], new: tuple[Page, ...]) -> list[str]:
    """Pages added and removed, and each changed page with excerpts of what changed."""
    before, after = {p.slug: p for p in old}, {p.slug: p for p in new}
    moves = renamed_pages([p for p in old if p.slug not in after],
                          [p for p in new if p.slug not in before])
    renamed = [[f"{a.out_name} → {b.out_name}", address_note(a, b)] for a, b in moves]
    added = [[page.out_name, page.title] for slug, page in after.items()
             if slug not in before and page not in (b for _, b in moves)]
    removed = [[page.out_name, page.title, address_note(page, None)]
               for slug, page in before.items()
               if slug not in after and page not in (a for a, _ in moves)]
    changed = [[page.out_name, change] for slug, page in after.items() if slug in before
               for change in page_changes(before[slug], page)]
    changed += [[b.out_name, change] for a, b in moves for change in page_changes(a, b)]
    return (table("Pages added", ["Page", "Title"], added)
            + table("Pages renamed", ["Page", "Its old address"], renamed)
            + table("Pages removed", ["Page", "Title", "Its address"], removed)
            + table("Page text changed", ["Page", "Change"], changed))


def renamed_pages(gone: list[Page], new: list[Page]) -> list[tuple[Page, Page]]:
    """Pairs of a page gone and a page new whose text is mostly the same: one page renamed."""
    pairs = []
    for page in gone:
        alike = [(difflib.SequenceMatcher(a=words(page.body_html), b=words(other.body_html),
                                          autojunk=False).ratio(), other.slug, other)
                 for other in new if other not in (b for _, b in pairs)]
        best = max(alike, default=None)
        if best and best[0] >= SAME_PAGE:
            pairs.append((page, best[2]))
    return pairs


def address_note(old: Page, new: Page | None) -> str:
    """What becomes of a page's published address, and of its charts' downloads: readers'
    links and bookmarks to them."""
    downloads = (f"; its chart downloads move from downloads/{old.slug}/ to "
                 f"downloads/{new.slug}/, with no redirect" if new and new.charts else
                 f"; its chart downloads in downloads/{old.slug}/ are removed") * bool(old.charts)
    if new is not None and old.slug in new.aliases:
        return f"{old.out_name} still works: it redirects to {new.out_name}{downloads}"
    keep = (f"add `aliases: [{old.slug}]` to {new.src_path.name}'s front matter to keep it"
            if new else "a page that takes its place can keep it with `aliases:`")
    return (f"published address {old.out_name} removed (links and bookmarks to it break; "
            f"{keep}){downloads}")


def page_changes(before: Page, after: Page) -> list[str]:
    """Front matter fields that differ, then word-level excerpts of the text."""
    fields = PAGE_FIELDS
    changes = [change(field, getattr(before, field), getattr(after, field))
               for field in fields if getattr(before, field) != getattr(after, field)]
    changes += word_changes(words(before.body_html), words(after.body_html))
    return changes + link_changes([link.target for link in before.links],
                                  [link.target for link in after.links])


def link_changes(before: list[str], after: list[str]) -> list[str]:
    """Each link target the text changed: 'link: sources.html → sources.html#rfs'."""
    changes = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            changes.append(f"link: {', '.join(before[a1:a2]) or 'none'} → "
                           f"{', '.join(after[b1:b2]) or 'none'}")
    return changes


def words(body_html: str) -> list[str]:
    """A page's text as words, without its markup: block tags part words, inline tags not."""
    text = re.sub(r"</?(?:p|li|h[1-6]|td|th|tr|br|ul|ol|table|thead|tbody|blockquote|pre|hr)"
                  r"\b[^>]*>", " ", body_html)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).split()


def word_changes(before: list[str], after: list[str]) -> list[str]:
    """Each changed run of words with a little context: '… paid ~~more~~ **less** than …'."""
    excerpts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        lead = " ".join(after[max(0, b1 - CONTEXT_WORDS):b1])
        tail = " ".join(after[b2:b2 + CONTEXT_WORDS])
        old = f"~~{' '.join(before[a1:a2])}~~ " if a2 > a1 else ""
        new = f"**{' '.join(after[b1:b2])}** " if b2 > b1 else ""
        excerpts.append(f"… {lead} {old}{new}{tail} …".replace("  ", " "))
    return excerpts


def chart_sections(moved: set[str], pages: tuple[Page, ...]) -> list[str]:
    """Each chart whose data moved, with the pages that show it."""
    return table("Charts whose data changed", ["Chart", "Pages"],
                 [[name, ", ".join(p.out_name for p in pages if name in p.charts)]
                  for name in sorted(moved)])
