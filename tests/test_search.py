"""Search: folding case and accents, words and phrases, tags, dates, models, earlier
versions, other journals, highlights, and identifying details kept hidden."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from reflectkit.cli.runner import run
from reflectkit.errors import ExitCode
from reflectkit.journal import notes
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, Store
from reflectkit.search import Query, fold, match_spans, parse_day, parse_terms, search_units, snippet

CASE = Section("case", "meeting-nobody-came-to")
STAGE = Section("stage", "1")
NOV = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
OCT = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)


def save(jr: Journal, section: Section, qid: str, text: str, when: datetime = NOV) -> None:
    jr.save_answer(section, qid, question=f"Question {qid}?", kind="text", value=text, now=when)


def find(jr: Journal, *words: str, **limits: object) -> list[tuple[str, str, int]]:
    query = Query(terms=parse_terms(words), **limits)  # type: ignore[arg-type]
    return [
        (h.section.ref, h.question_id, h.version) for h in search_units(jr.name, jr.units(), query, tz=UTC)
    ]


@pytest.fixture
def filled(journal: Journal) -> Journal:
    save(
        journal,
        STAGE,
        "relate",
        "We met at the Café on the corner; a naïve start.\nThe   home\n visit went well.",
        OCT,
    )
    save(journal, CASE, "immediate", "The interpreters did not come; the family waited.")
    save(journal, CASE, "try-again", "Ask who the family trusts. Didn’t we revisit this?")
    notes.change_tags(journal, CASE, add=["interpreters"])
    note = notes.create_note(
        journal, title="Supervision", event_date=date(2026, 9, 1), model="driscoll", tags=["supervision"]
    )
    save(journal, note, "what", "My supervisor asked about the home visit and the interpreter.")
    return journal


# -- folding and terms -----------------------------------------------------------------------
def test_fold_takes_off_case_accents_and_typographic_quotes() -> None:
    assert fold("Café NAÏVE Straße") == "cafe naive strasse"
    assert fold("Didn’t “quote”") == 'didn\'t "quote"'
    assert fold("plain ascii") == "plain ascii"


def test_terms_from_the_command_line() -> None:
    assert parse_terms(["home visit"]) == ("home visit",)  # the shell kept the quotes' words together
    assert parse_terms(['"Home  Visit" Letter', "letter"]) == ("home visit", "letter")
    assert parse_terms(["Café"]) == ("cafe",)
    assert parse_terms([""]) == ()


def test_days_and_months() -> None:
    assert parse_day("2026-11") == date(2026, 11, 1)
    assert parse_day("2026-12", end=True) == date(2026, 12, 31)
    assert parse_day("2026-02", end=True) == date(2026, 2, 28)
    assert parse_day("2026-11-05") == date(2026, 11, 5)
    with pytest.raises(ValueError):
        parse_day("last week")


# -- what is found ---------------------------------------------------------------------------
def test_a_phrase_is_found_whatever_the_spaces_and_not_out_of_order(filled: Journal) -> None:
    assert sorted(r for r, *_ in find(filled, "home visit")) == ["1", "2026-09-01-1"]
    assert find(filled, "visit home") == []
    assert [r for r, *_ in find(filled, '"home visit" supervisor')] == ["2026-09-01-1"]


def test_an_accented_word_typed_without_accents_and_the_other_way(filled: Journal) -> None:
    assert find(filled, "cafe") == [("1", "relate", 0)]
    assert find(filled, "CAFÉ") == [("1", "relate", 0)]
    assert find(filled, "naive", "start") == [("1", "relate", 0)]
    assert find(filled, "didn't") == [("meeting-nobody-came-to", "try-again", 0)]


def test_a_word_finds_longer_words_it_starts_but_not_inside_others(filled: Journal) -> None:
    assert {q for _, q, _ in find(filled, "interpret")} == {"immediate", "what"}
    assert find(filled, "visit", "trusts") == []  # 'revisit' is not 'visit'
    assert find(filled, "family", "waited") == [("meeting-nobody-came-to", "immediate", 0)]


def test_by_tag_date_and_model(filled: Journal) -> None:
    assert {q for _, q, _ in find(filled, tags=("interpreters",))} == {"immediate", "try-again"}
    assert find(filled, "family", tags=("supervision",)) == []
    # A note is dated by its event; an answer by the day it was written.
    assert find(filled, "home", until=date(2026, 9, 30)) == [("2026-09-01-1", "what", 0)]
    assert find(filled, "home", since=date(2026, 10, 1), until=date(2026, 10, 31)) == [("1", "relate", 0)]
    assert find(filled, "home", model="driscoll") == [("2026-09-01-1", "what", 0)]
    assert find(filled, "home", model="gibbs") == []


def test_earlier_versions_are_searched_and_numbered(filled: Journal) -> None:
    save(filled, CASE, "immediate", "Nobody came at all.")
    assert find(filled, "interpreters", "waited") == [("meeting-nobody-came-to", "immediate", 1)]


# -- showing a hit ---------------------------------------------------------------------------
def test_highlights_land_on_the_original_text() -> None:
    text = "Die Straße, the STRASSE and naïve — naive."
    spans = match_spans(text, parse_terms(["strasse", "naive"]))
    assert [text[a:b] for a, b in spans] == ["Straße", "STRASSE", "naïve", "naive"]


def test_a_snippet_is_cut_around_the_match_and_hides_what_it_is_told() -> None:
    text = "x" * 200 + " call the mother on 07700 900123 about the interpreter " + "y" * 200
    start = text.index("07700")
    got = snippet(text, ("interpreter",), hidden=[(start, start + 12, "phone number")], width=80)
    shown = "".join(t for t, _ in got)
    assert shown.startswith("…") and shown.endswith("…")
    assert "[phone number hidden]" in shown and "07700" not in shown
    assert ("interpreter", "match") in got


# -- the command -----------------------------------------------------------------------------
def test_search_command_text_and_json(filled: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--plain", "search", "interpreter"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Note: Supervision (1 September 2026)" in out and "Found 2 texts." in out
    assert "tags: interpreters" in out
    assert run(["search", "home visit", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 2 and data["query"]["terms"] == ["home visit"]
    first = data["results"][0]  # newest first: the answer written in October
    assert (first["kind"], first["day"]) == ("stage", "2026-10-05")
    a, b = first["matches"][0]
    assert " ".join(fold(first["snippet"][a:b]).split()) == "home visit"


def test_identifying_details_are_hidden_unless_asked(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    save(journal, STAGE, "relate", "The interpreter gave me her number, 07700 900123, after the visit.")
    assert run(["--plain", "search", "interpreter"]) == 0
    out = capsys.readouterr().out
    assert "07700" not in out and "[phone number hidden]" in out and "--show-identifying" in out
    assert run(["search", "interpreter", "--json"]) == 0
    assert "07700" not in capsys.readouterr().out
    assert run(["--plain", "search", "interpreter", "--show-identifying"]) == 0
    assert "07700 900123" in capsys.readouterr().out


def test_a_notes_title_that_may_identify_someone_is_hidden_too(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    note = notes.create_note(journal, title="Visit to Mrs Begum", event_date=date(2026, 9, 1), model="gibbs")
    save(journal, note, "description", "The interpreter was late.")
    assert run(["--plain", "search", "interpreter"]) == 0
    out = capsys.readouterr().out
    assert "Begum" not in out and "Visit to [name hidden]" in out
    assert run(["search", "interpreter", "--json"]) == 0
    assert "Begum" not in capsys.readouterr().out


def test_other_journals_only_with_all(
    filled: Journal, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    other = store.journal("team", create=True)
    save(other, STAGE, "relate", "A team meeting about the interpreters' rota.")
    assert run(["search", "rota", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 0
    assert run(["search", "rota", "--all", "--json"]) == 0
    assert [r["journal"] for r in json.loads(capsys.readouterr().out)["results"]] == ["team"]
    assert run(["search", "rota", "--journal", "team", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 1


def test_limit_and_bad_options(filled: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--plain", "search", "the", "--limit", "1"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "showing the 1 most recent (--limit 0 shows all)" in out
    assert run(["search", "x", "--since", "last week"]) == ExitCode.USAGE
    assert run(["search", "--no-such-option"]) == ExitCode.USAGE
    assert run(["search"]) == ExitCode.NEEDS_INPUT  # no words, and no terminal to ask in


def test_a_long_text_is_cut_to_one_snippet() -> None:
    text = "word " * 10_000 + "needle"
    got = snippet(text, ("needle",))
    assert sum(len(t) for t, _ in got) < 120
