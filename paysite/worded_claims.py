"""Words: read the claims sources make in words (`words` in data/claims.yaml) and check that
each check names a real dimension and figures of its source; `worded_verdicts` judges them later.
"""

from __future__ import annotations

from .errors import Problem, unknown
from .model import Figure, WordCheck, WordClaim
from .vocabulary import UNTESTABLE_REASONS
from .yamlfile import Located


LISTS = ("roles", "groups", "named")  # check fields that are lists in YAML, tuples here


def read_words(doc: Located, sources: dict, group_kinds: dict[str, str],
               figures: list[Figure] | None) -> tuple[list[WordClaim], list[Problem]]:
    """Build every claim in words, reporting unknown references and checks with no figures."""
    claims, problems, seen = [], [], set()
    sizes = {entry["word"]: entry for entry in doc.value.get("size_words", [])}
    for i, record in enumerate(doc.value.get("words", [])):
        where = ("words", i)
        found = []
        if record["id"] in seen:
            found.append(doc.problem(where + ("id",), f"duplicate id {record['id']!r}"))
        seen.add(record["id"])
        if record["source"] not in sources:
            found.append(doc.problem(where + ("source",),
                                     unknown("source", record["source"], sources)))
        if ("checks" in record) == ("untestable" in record):
            found.append(doc.problem(where, "a claim in words needs either checks (how its "
                                     "figures test it) or untestable (why none can), not both"))
        found += reason_problems(doc, where, record)
        for j, check in enumerate(record.get("checks", [])):
            if "size" in check and check["size"] not in sizes:
                found.append(doc.problem(where + ("checks", j, "size"),
                                         unknown("size word", check["size"], sizes)))
                continue
            check = sized(check, sizes)
            found += check_problems(doc, where + ("checks", j), record, check, group_kinds,
                                    figures)
        if not found:
            claims.append(make_word_claim(record, sizes))
        problems += found
    return claims, problems


def reason_problems(doc: Located, where: tuple, record: dict) -> list[Problem]:
    """An untestable reason that does not start with one of the fixed reasons and a colon."""
    reason = record.get("untestable")
    if reason is None or reason.split(":")[0] in UNTESTABLE_REASONS and ": " in reason:
        return []
    return [doc.problem(where + ("untestable",),
                        f"start the reason with one of {', '.join(UNTESTABLE_REASONS)} and a "
                        f"colon (\"no figure: the guide gives no equity by city\")")]


def sized(check: dict, sizes: dict[str, dict]) -> dict:
    """A size check that names a size word, with the band the site's table gives it."""
    if "size" not in check:
        return check
    entry = sizes[check["size"]]
    return {**check, **{key: entry[key] for key in ("low", "high", "above") if key in entry}}


def check_problems(doc: Located, where: tuple, record: dict, check: dict,
                   group_kinds: dict[str, str], figures: list[Figure] | None) -> list[Problem]:
    """An unknown dimension, or no figure of the source for the check's measure and stat."""
    source = record["source"]
    for key in ("", "a", "b"):
        side = check if not key else check.get(key, {})
        if side.get("dimension", check["dimension"]) not in group_kinds:
            return [doc.problem(where + ((key,) if key else ()) + ("dimension",),
                                unknown("dimension", side["dimension"], group_kinds))]
    if figures is None:
        return []
    pool = {f.group for f in figures if (f.source, f.dimension, f.measure, f.stat)
            == (source, check["dimension"], check["measure"], check["stat"])}
    if not pool:
        return [doc.problem(where, f"{source} has no {check['stat']} figures of "
                                   f"{check['measure']} in {check['dimension']}.yaml")]
    # A rank check may name an item the source's list leaves out: that is what it finds.
    named = [] if check["kind"] == "rank" else check.get("groups", []) + check.get("named", [])
    missing = [g for g in named if g not in pool]
    if missing:
        return [doc.problem(where + ("groups",), unknown("group", group, pool))
                for group in dict.fromkeys(missing)]
    return use_problems(doc, where, record["id"], source, check, figures)


NEEDS = {"rank": ("groups",), "share": ("groups",), "trend": ("groups", "shape"),
         "order": ("a", "b"), "overlap": ("a", "b"), "width": ("a", "b")}  # fields each kind cannot do without


def check_pool(source: str, check: WordCheck, figures) -> list[Figure]:
    """The source's figures a check reads: its dimension, measure and stat (and any other a
    side names), its groups."""
    read = {side_key(check, side) for side in (check.a, check.b)} | {side_key(check, {})}
    return [f for f in figures if f.source == source
            and (f.dimension, f.measure, f.stat) in read
            and (check.groups is None or f.group in check.groups)]


def side_key(check: WordCheck, side: dict) -> tuple[str, str, str]:
    """The data file, measure and statistic a side reads: its own, else the check's."""
    return (side.get("dimension", check.dimension), side.get("measure", check.measure),
            side.get("stat", check.stat))


def side_pairs(check: WordCheck, pool: list[Figure]) -> list[tuple[Figure, Figure]]:
    """Pair side a's figures with side b's on whatever neither side fixes (role, group,
    scope); a side's group may be a list; each side reads its own data file, measure and
    statistic, else the check's."""
    a, b = check.a, check.b
    fields = ("group", "role", "scope")
    # Scope tells apart figures of one file (a specialisation, a place's basis); across two
    # files it pairs nothing.
    shared = [f for f in fields if f not in a and f not in b
              and (f != "scope" or side_key(check, a) == side_key(check, b))]
    def matches(fig: Figure, side: dict) -> bool:
        return (fig.dimension, fig.measure, fig.stat) == side_key(check, side) and all(
            fig.group in value if key == "group" and isinstance(value, list)
            else value in (fig.role, fig.side) if key == "role"
            else getattr(fig, key) == value
            for key, value in side.items() if key in fields)
    return [(x, y) for x in pool if matches(x, a) for y in pool
            if matches(y, b) and x is not y and all(getattr(x, f) == getattr(y, f)
                                                    for f in shared)]


def role_pairs(pool: list[Figure], groups) -> list[tuple[Figure, Figure]]:
    """ML and SWE figures of the same group and scope, in the order of `groups` (or of the
    figures when no groups are named)."""
    order = list(groups) if groups else list(dict.fromkeys(f.group for f in pool))
    found = {(f.group, f.scope, f.side): f for f in pool}
    return [(found[(g, scope, "mle")], found[(g, scope, "swe")]) for g in order
            for scope in dict.fromkeys(f.scope for f in pool if f.group == g)
            if (g, scope, "mle") in found and (g, scope, "swe") in found]


def use_problems(doc: Located, where: tuple, claim_id: str, source: str, check: dict,
                 figures: list[Figure]) -> list[Problem]:
    """A check missing a field its kind needs, or whose sides match no pair of figures."""
    missing = [field for field in NEEDS.get(check["kind"], ()) if field not in check]
    if missing:
        return [doc.problem(where, f"a {check['kind']} check needs {' and '.join(missing)}")]
    made = make_check(check)
    pool = check_pool(source, made, figures)
    if made.kind in ("order", "overlap", "width") and not side_pairs(made, pool):
        return [doc.problem(where, "no pair of the source's figures matches both sides a and "
                                   "b; check their role, group and scope")]
    if made.kind in ("trend", "size") and (lacking := groups_lacking_a_role(pool, made)):
        return [doc.problem(where, f"claim {claim_id!r}, check {where[-1] + 1} ({made.kind}): "
                                   f"{'; '.join(lacking)}; a {made.kind} check needs an ML and a "
                                   "software figure in every group it reads")]
    if not set(made.named) <= set(made.groups or ()):
        return [doc.problem(where + ("named",), "named groups must be among the groups")]
    return []


ROLE_WORDS = {"mle": "ML", "swe": "software"}


def groups_lacking_a_role(pool: list[Figure], check: WordCheck) -> list[str]:
    """"group 'd' has no software figure", for each group the check reads without both
    roles."""
    if not check.groups:  # all the groups there are: those with both roles are read
        return [] if role_pairs(pool, None) else ["no group has both roles"]
    have = {(f.group, f.side) for f in pool}
    lacking = []
    for group in check.groups:
        missing = [ROLE_WORDS[role] for role in ROLE_WORDS if (group, role) not in have]
        if missing:
            lacking.append(f"group {group!r} has no {' and no '.join(missing)} figure")
    return lacking


def make_check(check: dict) -> WordCheck:
    """Build one check from a record the schema has accepted."""
    return WordCheck(**{key: tuple(value) if key in LISTS and value is not None else value
                        for key, value in check.items()})


def make_word_claim(record: dict, sizes: dict[str, dict] | None = None) -> WordClaim:
    """Build a claim in words from a checked record (a size word read from the table)."""
    checks = tuple(make_check(sized(check, sizes or {})) for check in record.get("checks", []))
    return WordClaim(id=record["id"], source=record["source"], line=record["line"],
                     as_stated=record["as_stated"], checks=checks,
                     untestable=record.get("untestable"))
