"""Load data/: parse every YAML file, check it against its schema, cross-check every
reference (sources, roles, levels, cities, measures), and build the `Dataset`.

Every problem in data/ is collected and reported together, each with its file and line.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from pathlib import Path

from .errors import (BuildError, Problem, did_you_mean, display_path, outside_link_problem,
                     unknown)
from .model import Claim, Dataset, Figure, Selector, claim_pairs
from .schemas import REGISTRY_FILES, SCHEMAS, schema_problems
from .vocabulary import PREMIUMS, RANGE_STATS, UNITS
from .worded_claims import read_words, reason_problems
from .yamlfile import Located, parse_yaml, read_text

# data/sources/: the saved copy of each source's article (<id>.txt), which the provenance
# tests compare every figure with; the build itself reads no text from it.
SOURCE_TEXTS = "sources"


def load_data(data_dir: Path) -> Dataset:
    """Read, schema-check and cross-check every file in data/."""
    docs = read_data_files(data_dir)
    registry, problems = read_registries(docs)
    group_kinds = {name: doc.value["groups"] for name, doc in docs.items()
                   if name not in REGISTRY_FILES}
    figures = []
    for name in sorted(group_kinds):
        found, more = read_figures(docs[name], name, registry)
        figures.extend(compared_as(f, registry["roles"]) for f in found)
        problems.extend(more)
    problems += role_name_problems(docs["roles"], registry["roles"], figures)
    # Only check that claims can be recomputed when every figure loaded: otherwise one bad
    # figure would also be reported as a missing figure for each claim that uses it.
    claims, more = read_claims(docs["claims"], registry, group_kinds,
                               figures if not problems else None)
    problems.extend(more)
    words, more = read_words(docs["claims"], registry["sources"], group_kinds,
                             figures if not problems else None)
    problems.extend(more)
    if problems:
        raise BuildError(problems)
    return Dataset(**registry, group_kinds=group_kinds, figures=tuple(figures),
                   claims=tuple(claims), words=tuple(words),
                   size_words=tuple(docs["claims"].value.get("size_words", ())))


def compared_as(fig: Figure, roles: dict[str, dict]) -> Figure:
    """A figure with the role it stands for in comparisons, when its role names one."""
    side = roles.get(fig.role, {}).get("compares_as")
    return dataclasses.replace(fig, compared_as=side) if side else fig


def role_name_problems(doc: Located, roles: dict[str, dict],
                       figures: list[Figure]) -> list[Problem]:
    """Each role a source's figures are about needs the source's own name for it (the
    sources page shows it); a role that names no source at all ("either role") needs none."""
    used = sorted({(f.role, f.source) for f in figures if f.role in roles})
    index = {entry["id"]: i for i, entry in enumerate(doc.value["roles"])}
    return [doc.key_problem(("roles", index[role], "names"),
                            f"role {role!r} has no name for source {source!r}, whose figures "
                            f"are about it: add '{source}: <the source's word for the role>' "
                            f"under names")
            for role, source in used
            if roles[role].get("names") and source not in roles[role]["names"]]


def read_data_files(data_dir: Path) -> dict[str, Located]:
    """Parse every YAML file in data/ and check each against its schema."""
    if not data_dir.is_dir():
        raise BuildError([Problem(display_path(data_dir), 1, 1, "data folder not found")])
    docs, problems = {}, []
    for name in REGISTRY_FILES:
        if not (data_dir / f"{name}.yaml").is_file():
            problems.append(Problem(display_path(data_dir / f"{name}.yaml"), 1, 1,
                                    "required data file is missing"))
    for path in sorted(data_dir.iterdir()):
        if path.name.startswith(".") or (path.name == SOURCE_TEXTS and path.is_dir()):
            continue
        if outside := outside_link_problem(path, data_dir):
            problems.append(outside)
            continue
        if path.suffix != ".yaml":
            problems.append(Problem(display_path(path), 1, 1,
                                    "unexpected file in data/ (data files end in .yaml)"))
            continue
        try:
            doc, found = checked_file(path, read_text(path),
                                      path.stem if path.stem in SCHEMAS else "dimension")
        except BuildError as error:
            problems.extend(error.problems)
            continue
        problems.extend(found)
        docs[path.stem] = doc
    if problems:
        raise BuildError(problems)
    return docs


@functools.lru_cache(maxsize=128)
def checked_file(path: Path, text: str, schema: str) -> tuple[Located, tuple[Problem, ...]]:
    """One data file parsed and checked against its schema, remembered by its path and text:
    a preview that runs on parses again only the files that changed. Nothing downstream
    changes a parsed document."""
    doc = parse_yaml(text, path)
    return doc, tuple(schema_problems(doc, SCHEMAS[schema]))


def index_by_id(doc: Located, key: str, problems: list) -> dict[str, dict]:
    """Map each entry's id to the entry, reporting repeated ids."""
    entries: dict[str, dict] = {}
    for i, entry in enumerate(doc.value[key]):
        if entry["id"] in entries:
            problems.append(doc.problem((key, i, "id"), f"duplicate id {entry['id']!r}"))
        entries.setdefault(entry["id"], entry)
    return entries


def read_registries(docs: dict[str, Located]) -> tuple[dict, list[Problem]]:
    """Read sources, roles, levels, cities and measures, checking their references."""
    problems: list[Problem] = []
    sources = index_by_id(docs["sources"], "sources", problems)
    roles = index_by_id(docs["roles"], "roles", problems)
    cities = index_by_id(docs["cities"], "cities", problems)
    measures = index_by_id(docs["measures"], "measures", problems)
    levels = docs["levels"]
    ladder = index_by_id(levels, "ladder", problems)
    for name in ("roles", "cities"):
        for i, entry in enumerate(docs[name].value[name]):
            for source in sorted(set(entry.get("names", {})) - set(sources)):
                problems.append(docs[name].problem((name, i, "names", source),
                                                   f"unknown source {source!r}"))
    level_maps: dict[str, dict[str, dict]] = {}
    for source, labels in levels.value["mappings"].items():
        if source not in sources:
            problems.append(levels.problem(("mappings", source), f"unknown source {source!r}"))
        by_label = level_maps.setdefault(source, {})
        for i, entry in enumerate(labels):
            where = ("mappings", source, i)
            if entry["level"] not in ladder:
                problems.append(levels.problem(where + ("level",), unknown(
                    "level", entry["level"], ladder)))
            if entry["label"] in by_label:
                problems.append(levels.problem(where + ("label",),
                                               f"duplicate label {entry['label']!r}"))
            by_label.setdefault(entry["label"], entry)
    problems += date_problems(docs["site"], ("updated",))
    registry = dict(site=docs["site"].value, sources=sources, roles=roles, ladder=ladder,
                    level_maps=level_maps, cities=cities, measures=measures)
    return registry, problems


def date_problems(doc: Located, keys: tuple) -> list[Problem]:
    """A date written YYYY-MM-DD must also be a day of the calendar."""
    text = doc.value[keys[-1]]
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return [doc.problem(keys, f"{keys[-1]}: {text!r} is not a date of the calendar")]
    return []


def read_figures(doc: Located, name: str, registry: dict) -> tuple[list[Figure], list]:
    """Turn one dimension file's observations into figures, checking each."""
    problems: list[Problem] = []
    if doc.value["dimension"] != name:
        problems.append(doc.problem(("dimension",), f"dimension {doc.value['dimension']!r} "
                                                    f"must match the file name {name!r}"))
    kind, figures, seen = doc.value["groups"], [], {}
    for i, record in enumerate(doc.value["observations"]):
        where = ("observations", i)
        found = reference_problems(doc, where, record, registry)
        level, more = group_level(doc, where, record, kind, registry)
        found += more
        # An unknown measure is reported above; check its numbers as plain counts.
        unit = registry["measures"].get(record["measure"], {}).get("unit", "count")
        found += figure_problems(doc, where, record, unit)
        key = tuple(record.get(k) for k in ("source", "role", "group", "measure", "stat",
                                            "scope"))
        if key in seen:
            found.append(doc.problem(where, "duplicate record: same source, role, group, "
                                            f"measure, stat and scope as line {seen[key]}"))
        seen.setdefault(key, doc.where(where)[0])
        problems += found
        if not found:
            figures.append(make_figure(record, name, level, unit))
    return figures, problems


def reference_problems(doc: Located, where: tuple, record: dict, registry: dict) -> list:
    """Check that a record's source, role and measure ids exist."""
    problems = []
    for field, known in (("source", "sources"), ("role", "roles"), ("measure", "measures")):
        if field in record and record[field] not in registry[known]:
            problems.append(doc.problem(where + (field,),
                                        unknown(field, record[field], registry[known])))
    return problems


def group_level(doc: Located, where: tuple, record: dict, kind: str,
                registry: dict) -> tuple[str | None, list]:
    """Resolve a record's group for its file's kind; return its ladder level if any."""
    group, here = record["group"], where + ("group",)
    if kind == "level" and record["source"] not in registry["sources"]:
        return None, []  # the unknown source is reported already
    if kind == "level":
        labels = registry["level_maps"].get(record["source"], {})
        if group not in labels:
            return None, [doc.problem(here, f"unknown level label {group!r} for source "
                                            f"{record['source']!r} (levels.yaml maps: "
                                            f"{', '.join(sorted(labels)) or 'none'})"
                                            f"{did_you_mean(group, labels)}")]
        return labels[group]["level"], []
    if kind == "city" and group not in registry["cities"]:
        return None, [doc.problem(here, unknown("city", group, registry["cities"]))]
    if kind == "none" and group != "all":
        return None, [doc.problem(here, "group must be 'all' in a file with groups: none")]
    return None, []


def figure_problems(doc: Located, where: tuple, record: dict, unit: str) -> list[Problem]:
    """Check an observation's figure; a range statistic needs a range."""
    if (record.get("stat") in RANGE_STATS and "value" in record
            and "low" not in record and "high" not in record):
        return [doc.problem(where + ("value",),
                            f"stat {record['stat']!r} is a range: give low and high")]
    return number_problems(doc, where, record, unit)


def number_problems(doc: Located, where: tuple, record: dict, unit: str) -> list[Problem]:
    """Check a value or a low-high range: present, ordered, non-negative, plausible."""
    has_value, has_low, has_high = ("value" in record, "low" in record, "high" in record)
    if unit == "rank" and (has_low or has_high):
        return [doc.problem(where, "a rank is one position: give value, not low and high")]
    if has_value and (has_low or has_high):
        return [doc.problem(where, "give either value or low and high, not both")]
    if has_low != has_high:
        missing = "high" if has_low else "low"
        return [doc.problem(where, f"a range needs both low and high; {missing} is missing")]
    if not (has_value or has_low):
        return [doc.problem(where, "missing the figure: give value, or low and high")]
    problems = [bound_problem(doc, where + (key,), record[key], unit)
                for key in ("value", "low", "high") if key in record]
    problems = [p for p in problems if p]
    if has_low and not problems and record["low"] > record["high"]:
        problems.append(doc.problem(where + ("low",), f"low ({plain(record['low'])}) is above "
                                                      f"high ({plain(record['high'])})"))
    return problems


def plain(number: float) -> str:
    """Write a number as an editor typed it: 150,000 or 0.25 (1e+308 when it is huge)."""
    if abs(number) >= 1e15:
        return f"{number:.3g}"
    return f"{int(number):,}" if number == int(number) else f"{number:,}"


def bound_problem(doc: Located, keys: tuple, number: float, unit: str) -> Problem | None:
    """Refuse a negative figure or one beyond what its unit can plausibly hold."""
    if number < 0:
        return doc.problem(keys, f"{keys[-1]}: {plain(number)} is negative")
    if number > UNITS[unit]:
        return doc.problem(keys, f"{keys[-1]}: {plain(number)} is implausibly large for "
                                 f"{unit} (at most {plain(UNITS[unit])})")
    if unit in ("count", "rank", "year") and number != int(number):
        return doc.problem(keys, f"{keys[-1]}: a {unit} must be a whole number")
    return None


def make_figure(record: dict, dimension: str, level: str | None, unit: str) -> Figure:
    """Build a figure from a checked record."""
    return Figure(source=record["source"], role=record["role"], dimension=dimension,
                  group=record["group"], level=level, measure=record["measure"], unit=unit,
                  stat=record["stat"], value=record.get("value"), low=record.get("low"),
                  high=record.get("high"), qualifiers=tuple(record.get("qualifiers", ())),
                  scope=record.get("scope"), as_stated=record["as_stated"])


def read_claims(doc: Located, registry: dict, group_kinds: dict[str, str],
                figures: list[Figure] | None) -> tuple[list[Claim], list[Problem]]:
    """Check each claim's references and that its figures exist to recompute it."""
    claims, problems, seen = [], [], set()
    for i, record in enumerate(doc.value["claims"]):
        where = ("claims", i)
        found = reference_problems(doc, where, record, registry)
        found += formula_problems(doc, where, record, registry)
        unit = claim_unit(record, registry)
        found += number_problems(doc, where, record, unit)
        found += reason_problems(doc, where, record)
        if record["id"] in seen:
            found.append(doc.problem(where + ("id",), f"duplicate id {record['id']!r}"))
        seen.add(record["id"])
        if record["dimension"] not in group_kinds:
            found.append(doc.problem(where + ("dimension",),
                                     unknown("dimension", record["dimension"], group_kinds)))
        if not found:
            claim = make_claim(record, unit)
            if claim.headline and not claim.premium:
                found.append(doc.problem(where + ("headline",), f"headline: true marks a "
                                         f"source's headline premium of one role over the "
                                         f"other; this is a {claim.formula} claim"))
            elif figures is not None and not claim_pairs(claim, figures):
                found.append(doc.problem(where, missing_figures(claim, figures)))
            claims.append(claim)
        problems += found
    return claims, problems


def missing_figures(claim: Claim, figures: list[Figure]) -> str:
    """Say what a claim needs in its own terms, and which figures its source does have."""
    if claim.premium:
        wanted = (f"a figure with role {claim.a.role} and one with role {claim.b.role}, "
                  f"in one group,")
    else:
        wanted = " and ".join(f"side {name} ({side_words(side)})"
                              for name, side in (("a", claim.a), ("b", claim.b)))
    groups = f", group {' or '.join(claim.groups)}" if claim.groups else ""
    have = sorted({f"{f.stat} {f.group} ({f.role})" for f in figures
                   if (f.source, f.dimension, f.measure) == (claim.source, claim.dimension,
                                                             claim.measure)})
    return (f"no figures to recompute this {claim.formula} claim from: it needs {wanted} with "
            f"source {claim.source}, dimension {claim.dimension}, measure {claim.measure}, "
            f"stat {claim.stat}{groups}. {claim.source} has for {claim.measure} in "
            f"{claim.dimension}: {', '.join(have) or 'no figures'}")


def side_words(side: Selector) -> str:
    """One side of a claim in words: "role mle, group remote", or "any figure"."""
    parts = [f"role {side.role}"] if side.role else []
    parts += [f"group {' or '.join(side.groups)}"] if side.groups else []
    parts += [f"scope {side.scope}"] if side.scope else []
    return ", ".join(parts) or "any figure"


def formula_problems(doc: Located, where: tuple, record: dict, registry: dict) -> list:
    """A premium claim names its direction; any other formula names its two sides."""
    formula = record.get("formula", "premium")
    if formula == "premium" and "a" not in record and "premium" not in record:
        return [doc.problem(where, "a premium claim needs premium: ml_over_swe or "
                                   "swe_over_ml (or its two sides a and b)")]
    if "premium" in record and ("a" in record or "b" in record):
        return [doc.problem(where + ("premium",), "give either premium or a and b, not both")]
    if "premium" not in record and not ("a" in record and "b" in record):
        return [doc.problem(where, f"a {formula} claim needs both sides: a and b")]
    return [doc.problem(where + (side, "role"), unknown("role", record[side]["role"],
                                                        registry["roles"]))
            for side in ("a", "b") if side in record and "role" in record[side]
            and record[side]["role"] not in registry["roles"]]


def claim_unit(record: dict, registry: dict) -> str:
    """A difference is in the figures' unit; every other formula gives a percent."""
    if record.get("formula") == "difference":
        return registry["measures"].get(record["measure"], {}).get("unit", "count")
    return "percent_change"


def as_groups(value: str | list | None) -> tuple[str, ...] | None:
    """A claim's group, one or several, as a tuple (None: any group)."""
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)


def make_selector(side: dict, claim: dict, role: str | None) -> Selector:
    """One side of a claim: the claim's own group and scope unless the side sets them."""
    return Selector(role=side.get("role", role),
                    groups=as_groups(side.get("group", claim.get("group"))),
                    scope=side.get("scope", claim.get("scope")),
                    point=side.get("point", "center"))


def make_claim(record: dict, unit: str) -> Claim:
    """Build a claim from a checked record."""
    a_role, b_role = PREMIUMS.get(record.get("premium"), (None, None))
    a_side, b_side = record.get("a", {}), record.get("b", {})
    # Figures pair up on every field neither side fixes: a premium of ML over SWE compares
    # the two roles within one group; a remote "dip" compares two groups within one role.
    fixed = {field for side in (a_side, b_side) for field in side}
    fixed |= {"role"} if a_role else set()
    return Claim(id=record["id"], source=record["source"], dimension=record["dimension"],
                 measure=record["measure"], stat=record["stat"],
                 formula=record.get("formula", "premium"),
                 a=make_selector(a_side, record, a_role), b=make_selector(b_side, record, b_role),
                 paired_on=tuple(f for f in ("group", "role") if f not in fixed), unit=unit,
                 value=record.get("value"), low=record.get("low"), high=record.get("high"),
                 qualifiers=tuple(record.get("qualifiers", ())),
                 headline=record.get("headline", False), as_stated=record["as_stated"],
                 untestable=record.get("untestable"), caveat=record.get("caveat"))
