"""Words: read the claims sources make in words (`words` in data/claims.yaml) and check that
each check names a real dimension and figures of its source; `verbal` judges them later.
"""

from __future__ import annotations

from .errors import Problem, unknown
from .model import Figure, WordCheck, WordClaim
from .yamlfile import Located


LISTS = ("roles", "groups", "named")  # check fields that are lists in YAML, tuples here


def read_words(doc: Located, sources: dict, group_kinds: dict[str, str],
               figures: list[Figure] | None) -> tuple[list[WordClaim], list[Problem]]:
    """Build every claim in words, reporting unknown references and checks with no figures."""
    claims, problems, seen = [], [], set()
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
        for j, check in enumerate(record.get("checks", [])):
            found += check_problems(doc, where + ("checks", j), record["source"], check,
                                    group_kinds, figures)
        if not found:
            claims.append(make_word_claim(record))
        problems += found
    return claims, problems


def check_problems(doc: Located, where: tuple, source: str, check: dict,
                   group_kinds: dict[str, str], figures: list[Figure] | None) -> list[Problem]:
    """An unknown dimension, or no figure of the source for the check's measure and stat."""
    if check["dimension"] not in group_kinds:
        return [doc.problem(where + ("dimension",),
                            unknown("dimension", check["dimension"], group_kinds))]
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
    return [doc.problem(where + ("groups",), unknown("group", group, pool))
            for group in dict.fromkeys(missing)]


def make_word_claim(record: dict) -> WordClaim:
    """Build a claim in words from a checked record."""
    checks = tuple(WordCheck(**{key: tuple(value) if key in LISTS else value
                                for key, value in check.items()})
                   for check in record.get("checks", []))
    return WordClaim(id=record["id"], source=record["source"], line=record["line"],
                     as_stated=record["as_stated"], checks=checks,
                     untestable=record.get("untestable"))
