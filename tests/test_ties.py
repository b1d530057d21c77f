"""Ties between commentary and the values it restates (paysite/ties.py), on small inline
texts: a sentence found at its line, its values in its column, its verdict the audit's."""

import pytest

from paysite.ties import Tie, loose_numbers, tie_problems

BODY = """Intro line.

Start-ups pay a small premium (+7%
to +9% of base salary), and about 14% more in one field.
"""
TABLES = {"ladder": (("Level", "Premium"), (("L3", "+7%"), ("L4", "+8%"), ("L5", "+9%"))),
          "fields": (("Field", "Midpoint"), (("dist", "+14.3%"),))}
VERDICTS = {("a-claim", None): "contradicted"}


def problems(*ties: Tie) -> list[str]:
    return [str(p) for p in tie_problems("content/x.md", BODY, 7, ties, TABLES, VERDICTS, {})]


def test_a_sentence_whose_values_its_column_holds_passes():
    assert problems(Tie("small premium (+7% to +9%", 3, 5, chart="ladder", column="Premium",
                        values=("+7%", "+8%", "+9%")),
                    Tie("about 14% more", 4, 5, chart="fields", column="Midpoint",
                        values=("+14.3%",)),
                    Tie("Intro line.", 5, 5, claim="a-claim", verdict="contradicted")) == []


@pytest.mark.parametrize("tie, message", [
    (Tie("small premium (+7% to +9%", 3, 5, chart="ladder", column="Premium",
         values=("+7%", "+10%")),
     "content/x.md:9:17: 'small premium (+7% to +9%' states +10%, which chart ladder's column "
     "'Premium' no longer holds (the nearest it holds: +9%; +8%; +7%)"),
    (Tie("Start-ups pay less", 3, 5, chart="ladder", column="Premium", values=("+7%",)),
     "content/x.md:3:5: tie: the text no longer says 'Start-ups pay less'; reword the tie's "
     "says: to match, or remove the tie"),
    (Tie("about 14% more", 4, 5, chart="fields", column="Midpoint", values=("+14.3%", "+15%")),
     "content/x.md:10:29: 'about 14% more' states +15%, which chart fields's column "
     "'Midpoint' no longer holds (the nearest it holds: +14.3%)"),
    (Tie("about 14% more", 4, 5, chart="ladder", column="Premium", values=("+9%",)),
     "content/x.md:10:29: 'about 14% more' says about 14%, which rounds none of its values "
     "(+9%)"),
    (Tie("Intro line.", 5, 5, claim="a-claim", verdict="consistent"),
     "content/x.md:7:1: 'Intro line.' gives the verdict 'consistent', but the audit now finds "
     "a-claim 'contradicted': bring the sentence in line"),
    (Tie("Intro line.", 5, 5, chart="nope", column="x", values=("1",)),
     "content/x.md:7:1: tie: no chart 'nope' (known: fields, ladder)"),
    (Tie("Intro line.", 5, 5, chart="ladder", column="Pay", values=("1",)),
     "content/x.md:7:1: tie: chart ladder has no column 'Pay' (its columns: Level, Premium)"),
])
def test_a_tie_that_no_longer_holds_is_located_at_its_sentence(tie, message):
    assert problems(tie) == [message]


def test_a_number_outside_every_tie_must_be_a_recorded_figure():
    body = "Pay is $130,000 ({{ sources }} sources, [link](a-2.html)); the gap is +14%.\n"
    found = loose_numbers("content/x.md", body, 5, [], recorded={130000.0})
    assert [str(p) for p in found] == [
        "content/x.md:5:71: +14% is not a figure data/ records: a computed result needs a tie "
        "to the chart or claim that holds it (ties: in the front matter)"]
    tied = [Tie("the gap is +14%", 1, 1, chart="c", column="k", values=("+14%",))]
    assert loose_numbers("content/x.md", body, 5, tied, recorded={130000.0}) == []
    assert [p.column for p in loose_numbers("content/x.md", body, 5, [], set())] == [8, 71]


def test_a_value_no_longer_held_is_shown_beside_the_values_nearest_it():
    """Among many values, the message leads with those that read most like the stated one
    (the value the editor needs, after a figure moved one premium)."""
    column = [f"+{n}% to +{n + 9}%" for n in range(1, 30)] + ["+14% to +23% or more"]
    tables = {"audit": (("Claim", "Gives"), tuple(("c", cell) for cell in column))}
    tie = Tie("Intro line.", 5, 5, chart="audit", column="Gives",
              values=("+12% to +23% or more",))
    [message] = [str(p) for p in tie_problems("content/x.md", BODY, 7, (tie,), tables, {}, {})]
    assert message.split("(the nearest it holds: ")[1].startswith("+14% to +23% or more; ")
