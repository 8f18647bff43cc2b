"""Every export format against golden files, hostile answers, HCPC gaps, one account per
activity, the CPD log in the regulators' records, and the CLI.

To accept a deliberate change to the output, run
``REFLECTKIT_UPDATE_GOLDEN=1 uv run pytest tests/test_export_formats.py`` and review the diff.
"""

from __future__ import annotations

import builtins
import io
import json
import re
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from reflectkit.answering import context_for, score_statements
from reflectkit.cli import export_cmd
from reflectkit.cli.runner import run
from reflectkit.config import Config, load_config, save_config
from reflectkit.content.loader import load_builtin
from reflectkit.content.models import Question, StatementsQuestion, TableQuestion, Workbook
from reflectkit.export import FORMATS, exporter, hcpc, nmc, records, swe, worksheet
from reflectkit.export import RECORDS as RECORD_FORMATS
from reflectkit.export.document import Document, Part, gather
from reflectkit.journal import cpdlog
from reflectkit.journal.cpdlog import Draft, LogEntry
from reflectkit.journal.cycles import start_cycle
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, Store
from tests.golden_files import assert_golden

GOLDEN = Path(__file__).parent / "golden"
GENERATED = date(2026, 3, 2)
START = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
CASE = 2
HOSTILE = [
    "# heading ZQX01",
    "- list ZQX02\n1. numbered ZQX03",
    "```\ncode fence ZQX04\n```",
    "[/bold] [link=https://example.org]markup ZQX05[/link]",
    "\x1b[31mred ZQX06\x1b[0m and \x1b]8;;https://example.org\x07osc ZQX07",
    "a | b | c ZQX08",
    "first ZQX09\r\nsecond ZQX10\r\n\r\n> quoted ZQX11",
    "emoji 🙂 ZQX12 and bidi \u202eZQX13",
    "nul\x00 ZQX14\n\n\n   \n<script>ZQX15</script>",
]


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return load_builtin()


@pytest.fixture
def utc_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The Markdown export shows local times: pin the zone so the golden file holds."""
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def save(
    jr: Journal, section: Section, question: Question, value: Any, *, position: int, now: datetime
) -> None:
    score = None
    if isinstance(question, StatementsQuestion):
        score = score_statements(question, value)[0]
    jr.save_answer(
        section,
        question.id,
        question=question.prompt,
        kind=question.kind,
        value=value,
        position=position,
        context=context_for(question),
        score=score,
        now=now,
    )


def at(days: float) -> datetime:
    return START + timedelta(days=days)


STAGE1 = {
    "relate": "Several families on my caseload did not know what a health visitor is for.\n"
    "One mother thought I had come to check whether she was a fit parent.",
    "similar-challenges": 'Letters about appointments. "Did not attend" letters frighten people.',
    "impact": "Missed visits cost me time; for families, missed help and a lot of worry.",
}
CASE_TEXT = {
    "immediate": "My first thought was that the school gave up too quickly.",
    "not-engaging": "A father we called 'not engaging' was working nights. Nobody asked him.",
    "try-again": "The teaching assistant they trust should call first, and start with what\nis going well.",
    "your-first-message": "Our first letter says 'concerns'. I would say 'we would like to meet'.",
}
WEEKS = {
    "1-week-1": (
        "A mother asked whether I would take her baby away.",
        "She had never met a health visitor where she grew up.",
        "At first visits I will explain what happens after today.",
    ),
    "1-week-2": (
        "A father asked why I wanted to see the kitchen.",
        "I had not said why; he felt inspected.",
        "I will say why before I ask to see anything.",
    ),
}


TABLE = [
    ["'Concerns'", "Max is in trouble", "Max does well in maths"],
    ["Not said", "Strangers", "Who will be there and why"],
    ["", "", ""],
    ["Thursday 9am", "Lose a shift", "Offer two times"],
    ["App only", "Cannot ask", "Phone Bev at the gate"],
]


def fill_case(jr: Journal, wb: Workbook) -> None:
    """Case study 2: its immediate response and one answer of each kind."""
    case = wb.case(CASE)
    assert case is not None
    section = Section("case", case.id)
    for pos, q in enumerate([*wb.stage(3).prompts, *case.questions]):
        value: Any = {"statements": [1, 2, 5], "scale": 2, "table": TABLE}.get(q.kind)
        save(jr, section, q, CASE_TEXT.get(q.id, value), position=pos, now=at(7 + pos / 24))


def fill(jr: Journal, wb: Workbook) -> None:
    """A journal touching every section kind and every answer kind, at fixed times."""
    s1, s2, _, s4 = wb.stages
    one, two = Section("stage", "1"), Section("stage", "2")
    for pos, q in enumerate(s1.prompts):
        save(jr, one, q, STAGE1.get(q.id, 2), position=pos, now=at(pos / 24))
    first = "Ask how a service like mine works where they lived."
    save(jr, two, s2.prompts[0], first, position=0, now=at(1))
    later = "Ask whether a service like mine exists where they lived\nbefore, and how it works there."
    save(jr, two, s2.prompts[0], later, position=0, now=at(2))
    fill_case(jr, wb)
    for week, (ref, texts) in enumerate(WEEKS.items()):
        for pos, (q, text) in enumerate(zip(s4.weekly, texts, strict=True)):
            save(jr, Section("reflection", ref), q, text, position=pos, now=at(14 + 7 * week))
    revisit = Section("revisit", "1")
    values = [
        "I now explain my role at every first visit.",
        "Asking how it worked back home.",
        4,
        "Saying what happens next, every time.",
    ]
    for pos, (q, value) in enumerate(zip(s4.revisit, values, strict=True)):
        save(jr, revisit, q, value, position=pos, now=at(42))


def document(jr: Journal, wb: Workbook, **narrow: Any) -> Document:
    return gather(jr.units(), wb, journal=jr.name, generated=GENERATED, **narrow)


@pytest.fixture
def filled(journal: Journal, workbook: Workbook) -> Document:
    fill(journal, workbook)
    return document(journal, workbook)


# A CPD log: a course with others, the case study in a team session, reading alone.
LOG = [
    Draft(date(2026, 1, 20), 90, "Safeguarding update | level 3", "course", participatory=True),
    Draft(date(2026, 1, 12), 60, "Team session on case study 2", "team session", True, "my team", case=CASE),
    Draft(date(2026, 2, 10), 45, "Reading: interpreters & trust <2024>", "reading"),
]


@pytest.fixture
def logged(journal: Journal) -> list[LogEntry]:
    for draft in LOG:
        cpdlog.add(journal, draft, today=GENERATED, now=at(60))
    return cpdlog.read_log(journal).entries


def links(wb: Workbook) -> dict[str, str]:
    """Stage 4's first cycle followed case study 2."""
    case = wb.case(CASE)
    assert case is not None
    return {"1": case.id}


def regulator_export(name: str, doc: Document, wb: Workbook, log: list[LogEntry]) -> str:
    if name == "nmc":
        themes = ("Preserve safety", "Prioritise people")
        return nmc.export(doc, wb, themes=themes, log=log, after_case=links(wb))
    if name == "swe":
        return swe.export(doc, wb, log=log, after_case=links(wb))
    if name == "hcpc":
        return hcpc.export(doc, wb, log=log)
    if name in RECORD_FORMATS:
        return records.export(doc, wb, log=log, regulator=name)
    return exporter(name)(doc, wb)


# -- golden files ------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(FORMATS))
def test_golden_formats(
    name: str, filled: Document, logged: list[LogEntry], workbook: Workbook, utc_zone: None
) -> None:
    text = regulator_export(name, filled, workbook, logged)
    assert_golden(text, f"export-{name}.{'json' if name == 'json' else 'md'}")


@pytest.mark.parametrize("name", ["nmc", "swe"])
def test_golden_account_for_one_activity(
    name: str, filled: Document, logged: list[LogEntry], workbook: Workbook, utc_zone: None
) -> None:
    """What `export --as nmc --case 2` writes: the case study, the Stage 4 cycle after it."""
    act = nmc.select(nmc.activities(filled, workbook, after_case=links(workbook)), case=CASE)
    assert act is not None
    text = regulator_export(name, act.document(filled), workbook, logged)
    assert_golden(text, f"export-{name}-case.md")


def test_golden_worksheet(workbook: Workbook) -> None:
    case = workbook.case(CASE)
    assert case is not None
    assert_golden(worksheet.render(case, workbook), "export-worksheet.md")


def test_exports_do_not_depend_on_the_machine_zone(
    filled: Document, workbook: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset")
    # Answers are dated by the user's own local day, so the zones are ones where every answer
    # in the fixture (09:30 to 12:30 UTC) falls on the same day as in UTC; Kiritimati (UTC+14)
    # moves the last Stage 1 answer to the next day, and each account's dates rightly move with it.
    seen = []
    for zone in ("UTC", "Asia/Kolkata", "America/Los_Angeles"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        seen.append([exporter(n)(filled, workbook) for n in ("nmc", "swe", "hcpc", "json")])
        seen[-1] += [records.export(filled, workbook, regulator=n) for n in RECORD_FORMATS]
    monkeypatch.undo()
    time.tzset()
    assert seen[0] == seen[1] == seen[2]


def test_json_round_trips_every_answer(filled: Document, workbook: Workbook) -> None:
    data = json.loads(exporter("json")(filled, workbook))
    answers = [a for s in data["sections"] for a in s["answers"]]
    revisit = len(workbook.stage(4).revisit)
    assert len(answers) == len(filled.answers) == 4 + 1 + 7 + 6 + revisit


# -- the NMC account -----------------------------------------------------------------------
def test_nmc_writes_one_account_per_activity(filled: Document, workbook: Workbook) -> None:
    acts = nmc.activities(filled, workbook, after_case=links(workbook))
    assert [a.key for a in acts] == ["stage-1", "stage-2", f"case-{links(workbook)['1']}"]
    assert [p.unit.section for p in acts[2].parts] == ["case", "reflection", "reflection", "revisit"]
    accounts = nmc.export(filled, workbook, after_case=links(workbook)).split("\n---\n")
    assert len(accounts) == 4 and accounts[-1].lstrip().startswith("# CPD record for NMC revalidation")
    assert [a.lstrip().split("\n")[0] for a in accounts[:3]] == [
        "# NMC reflective account: Stage 1: What practitioners and migrant families told us",
        "# NMC reflective account: Stage 2: What practitioners can do",
        "# NMC reflective account: Case study 2: The meeting nobody came to",
    ]
    # Without the link from the cycle to the case, the weekly reflections are an activity of their own.
    assert [a.key for a in nmc.activities(filled, workbook)][-1] == "cycle-1"


def test_nmc_shows_where_each_answer_came_from(filled: Document, workbook: Workbook) -> None:
    act = nmc.select(nmc.activities(filled, workbook, after_case=links(workbook)), case=CASE)
    assert act is not None
    text = nmc.export(act.document(filled), workbook, after_case=links(workbook)).split("\n---\n")[0]
    nature, learnt, changed, code = text.split("\n## ")[1:]
    assert "I read case study 2, “The meeting nobody came to”" in nature
    assert "Over four weeks I wrote 2 short weekly reflections" in nature
    assert "From: Week 1 reflection (cycle 1), question 1" in nature
    # The first response is part of what was learnt, not a description of the activity.
    assert "immediate response" not in nature
    assert "From: Case study 2, question 1 — What is your immediate response" in learnt
    assert "From: Case study 2, question 5" in learnt
    assert "From: Week 2 reflection (cycle 1), question 2" in learnt
    assert "Stage 1" not in learnt, "another activity's answers stay out of this account"
    assert "From: Four-week revisit (cycle 1), question 1" in changed
    assert "(choose the themes that apply)" in code
    assert all(f"- [ ] {theme}" in code for theme in nmc.CODE_THEMES)
    head = text.split("\n## ")[0]
    assert "must not identify anyone" in head and "which themes of the Code apply" in head
    assert "one of the five written reflective accounts" in head
    assert "reflective discussion with another NMC registrant" in head


def test_nmc_figures_come_from_the_rules_file(workbook: Workbook, logged: list[LogEntry]) -> None:
    rules = nmc.rules()
    text = "\n".join(nmc.cpd_record(logged, rules))
    assert "35 hours of CPD in the three years" in text and "at least 20 of them participatory" in text
    changed = rules.model_copy(update={"requirements": [
        r.model_copy(update={"target": 40}) if r.measure == "cpd-hours" else r for r in rules.requirements
    ]})  # fmt: skip
    assert "40 hours of CPD" in "\n".join(nmc.cpd_record(logged, changed))


def test_nmc_cpd_record_table(logged: list[LogEntry]) -> None:
    text = "\n".join(nmc.cpd_record(logged))
    rows = [line for line in text.split("\n") if line.startswith("| ") and "---" not in line][1:]
    assert rows == [
        "| 12 January 2026 | team session | Team session on case study 2 |   | 1 | 1 |",
        "| 20 January 2026 | course | Safeguarding update \\| level 3 |   | 1.5 | 1.5 |",
        "| 10 February 2026 | reading | Reading: interpreters &amp; trust &lt;2024> |   | 0.75 | 0 |",
    ]
    assert "Total: 3.25 hours, 2.5 of them participatory." in text
    assert "no entries yet" in "\n".join(nmc.cpd_record([]))


def test_nmc_marks_the_chosen_themes(filled: Document, workbook: Workbook) -> None:
    text = nmc.export(filled, workbook, themes=("Preserve safety", "not a theme"))
    code = text.split("\n---\n")[0].split("\n## ")[-1]
    assert "- [x] Preserve safety" in code and "- [ ] Prioritise people" in code
    assert "(choose the themes that apply)" not in code


def test_forms_of_an_empty_journal_say_what_is_missing(journal: Journal, workbook: Workbook) -> None:
    doc = document(journal, workbook)
    for name in ("nmc", "swe", "hcpc"):
        text = exporter(name)(doc, workbook)
        assert "There are no answers in this journal yet." in text
    assert "the nature of the activity" in nmc.export(doc, workbook)


def test_swe_record(filled: Document, workbook: Workbook, logged: list[LogEntry]) -> None:
    pages = swe.export(filled, workbook, log=logged, after_case=links(workbook)).split("\n---\n")
    assert len(pages) == 3, "one record per activity"
    stage, case = pages[0], pages[2]
    assert "From: Stage 1, prompt 1" in stage.split("## What you learnt")[0]
    assert "Reflection on a case study and learning resource, followed by weekly reflections" in case
    assert "12 January 2026 to 16 February 2026" in case or "12 January 2026" in case
    peer = case.split("## Peer reflection")[1]
    assert "their role only, never their name" in peer and "at least one of the two" in peer
    assert "From your CPD log: on 12 January 2026 you talked it over with my team." in peer
    assert "talked it over" not in stage


# -- hostile answers -----------------------------------------------------------------------
def fill_hostile(jr: Journal, wb: Workbook) -> None:
    s1, _, s3, s4 = wb.stages
    case = wb.case(CASE)
    assert case is not None
    texts = iter(HOSTILE)
    for pos, q in enumerate(s1.prompts[:3]):
        save(jr, Section("stage", "1"), q, next(texts), position=pos, now=at(0))
    save(jr, Section("case", case.id), s3.prompts[0], next(texts), position=0, now=at(1))
    text_qs = [q for q in case.questions if q.kind == "text"]
    for pos, q in enumerate(text_qs[:2], start=4):
        save(jr, Section("case", case.id), q, next(texts), position=pos, now=at(1))
    table = next(q for q in case.questions if isinstance(q, TableQuestion))
    rows = [[HOSTILE[5], HOSTILE[4], HOSTILE[0]]] + [["", "", ""]] * (len(table.rows) - 1)
    save(jr, Section("case", case.id), table, rows, position=2, now=at(1))
    for pos, q in enumerate(s4.weekly):
        save(jr, Section("reflection", "1-week-1"), q, next(texts), position=pos, now=at(8))
    last = HOSTILE[-1] + HOSTILE[6]
    save(jr, Section("revisit", "1"), s4.revisit[0], last, position=0, now=at(30))


@pytest.mark.parametrize("name", ["markdown", "nmc", "swe"])
def test_hostile_answers_stay_inside_their_quotes(name: str, journal: Journal, workbook: Workbook) -> None:
    fill_hostile(journal, workbook)
    text = exporter(name)(document(journal, workbook), workbook)
    assert "\x1b" not in text and "\x00" not in text and "\r" not in text and "\u202e" not in text
    marked = [line for line in text.split("\n") if "ZQX" in line]
    assert marked, "the answers should be in the export"
    # Inside a block quote, or a cell of a table row (where a "|" typed is escaped).
    inside = [m for m in marked if m.startswith(">") or (m.startswith("| ") and m.endswith(" |"))]
    assert inside == marked, [m for m in marked if m not in inside]
    rows = [m for m in marked if m.startswith("| ")]
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows), rows  # 4 cells each
    # Every hostile answer appears (each of its marked lines) and none escaped its quote.
    found = {m for line in marked for m in re.findall(r"ZQX\d\d", line)}
    assert found == {f"ZQX{n:02d}" for n in range(1, 16)}
    headings = [line for line in text.split("\n") if line.startswith("#")]
    assert not any("ZQX" in h or "heading" in h for h in headings)


def test_hcpc_cells_escape_pipes_and_control_characters() -> None:
    # The escape safe() shows for ESC keeps its backslash: doubled, as every backslash is.
    assert hcpc.cell("a | b\nc\x1b[31m") == "a \\| b c\\\\x1b[31m"
    assert hcpc.cell("back\\slash") == "back\\\\slash"


# -- HCPC gaps -----------------------------------------------------------------------------
def _two_activities(jr: Journal, wb: Workbook, first: datetime, second: datetime) -> Document:
    save(jr, Section("stage", "1"), wb.stage(1).prompts[0], "x", position=0, now=first)
    save(jr, Section("stage", "2"), wb.stage(2).prompts[0], "y", position=0, now=second)
    return document(jr, wb)


@pytest.mark.parametrize(
    ("second", "flagged"),
    [
        (datetime(2026, 4, 14, 23, 0, tzinfo=UTC), False),
        (datetime(2026, 4, 15, 0, 30, tzinfo=UTC), True),
    ],
)
def test_hcpc_flags_gaps_of_three_months(
    journal: Journal, workbook: Workbook, second: datetime, flagged: bool
) -> None:
    doc = _two_activities(journal, workbook, datetime(2026, 1, 15, 12, 0, tzinfo=UTC), second)
    found = hcpc.gaps(hcpc.activities(doc, workbook))
    text = hcpc.export(doc, workbook)
    if flagged:
        assert found == [
            "Gap of 3 months between Stage 1: What practitioners and migrant families told us "
            "(15 January 2026) and Stage 2: What practitioners can do (15 April 2026): HCPC audits "
            "look for continuous CPD."
        ]
        assert found[0] in text
    else:
        assert found == []
        assert "No gaps of three months or more" in text


def test_hcpc_rows_are_dated_and_timed(filled: Document, workbook: Workbook) -> None:
    rows = hcpc.activities(filled, workbook)
    stage, case = workbook.stage, workbook.case(CASE)
    assert case is not None
    assert [r.minutes for r in rows] == [stage(1).minutes, stage(2).minutes, case.minutes, 5, 5, 15]
    assert [r.when for r in rows] == sorted(r.when for r in rows)
    assert hcpc.months_between(date(2026, 1, 31), date(2026, 4, 30)) == 2
    assert hcpc.months_between(date(2025, 11, 30), date(2026, 2, 28)) == 2
    assert hcpc.months_between(date(2025, 11, 28), date(2026, 2, 28)) == 3


# -- the command line ----------------------------------------------------------------------
@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, journal: Journal, workbook: Workbook) -> Journal:
    """A filled journal, a fixed 'today', and no terminal on stdin."""
    fill(journal, workbook)
    monkeypatch.setenv("REFLECTKIT_TODAY", GENERATED.isoformat())
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    return journal


def _no_prompt(*args: object) -> str:
    raise AssertionError("reflectkit asked a question it should not have asked")


def test_cli_nmc_uses_stored_themes(
    cli: Journal, store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    save_config(store.config_path, Config(extra={"nmc_code_themes": ["Preserve safety"]}))
    monkeypatch.setattr(export_cmd, "_can_ask", lambda st: True)
    monkeypatch.setattr(builtins, "input", _no_prompt)
    assert run(["export", "--as", "nmc", "--case", "2"]) == 0
    out = capsys.readouterr().out
    assert "- [x] Preserve safety" in out and "- [ ] Prioritise people" in out
    assert out.startswith("# NMC reflective account")


def test_cli_nmc_without_a_terminal_leaves_the_themes_open(
    cli: Journal, store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builtins, "input", _no_prompt)
    assert run(["export", "--as", "nmc", "--case", "2"]) == 0
    assert "(choose the themes that apply)" in capsys.readouterr().out
    assert "nmc_code_themes" not in load_config(store.config_path).extra


def test_cli_nmc_asks_once_then_remembers(
    cli: Journal, store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_cmd, "_can_ask", lambda st: True)
    answers = iter(["9", "1,4"])
    monkeypatch.setattr(builtins, "input", lambda *a: next(answers))
    assert run(["export", "--as", "nmc", "--case", "2"]) == 0
    first = capsys.readouterr()
    assert "- [x] Prioritise people" in first.out and "- [x] Promote professionalism" in first.out
    assert "Which themes" in first.err and "Which themes" not in first.out
    assert load_config(store.config_path).extra["nmc_code_themes"] == [
        "Prioritise people",
        "Promote professionalism and trust",
    ]
    monkeypatch.setattr(builtins, "input", _no_prompt)
    assert run(["export", "--as", "nmc", "--case", "2"]) == 0
    assert capsys.readouterr().out == first.out


def test_cli_themes_option(cli: Journal, store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["export", "--as", "nmc", "--case", "2", "--themes", "3"]) == 0
    assert "- [x] Preserve safety" in capsys.readouterr().out
    assert load_config(store.config_path).extra["nmc_code_themes"] == ["Preserve safety"]
    assert run(["export", "--themes", "3"]) == 2
    assert "--themes is only for" in capsys.readouterr().err
    assert run(["export", "--as", "nmc", "--case", "2", "--themes", "7"]) == 2
    assert "'7' is not a choice of themes" in capsys.readouterr().err


def test_cli_worksheet(home: Path, workbook: Workbook, capsys: pytest.CaptureFixture[str]) -> None:
    case = workbook.case(CASE)
    assert case is not None
    assert run(["export", "--worksheet", "2"]) == 0
    assert capsys.readouterr().out == worksheet.render(case, workbook)
    assert not (home / "journals" / "default").exists(), "a worksheet needs no journal"
    assert run(["export", "--worksheet", "2", "--as", "json"]) == 2
    assert "--worksheet" in capsys.readouterr().err
    assert run(["export", "--worksheet", "99"]) == 3
    assert "no case study 99" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--as", "swe", "--case", "2"], ["--worksheet", "2"]])
def test_cli_output_is_never_overwritten_without_force(
    cli: Journal, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    target = tmp_path / "out.md"
    assert run(["export", *args, "--output", str(target)]) == 0
    written = target.read_text(encoding="utf-8")
    assert written.startswith("# ") and (target.stat().st_mode & 0o777) == 0o600
    target.write_text("mine", encoding="utf-8")
    assert run(["export", *args, "--output", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "mine"
    assert run(["export", *args, "--output", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8") == written
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["out.md"], "no temp files"


def test_cli_strict_refuses_a_phone_number(
    cli: Journal, workbook: Workbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prompt = workbook.stage(1).prompts[0]
    save(cli, Section("stage", "1"), prompt, "Ring her on 07700 900123.", position=0, now=at(50))
    target = tmp_path / "nmc.md"
    assert run(["export", "--as", "nmc", "--stage", "1", "--strict", "--output", str(target)]) == 1
    captured = capsys.readouterr()
    assert "Nothing was exported" in captured.err and captured.out == ""
    assert not target.exists()
    assert run(["export", "--as", "nmc", "--stage", "1", "--output", str(target)]) == 0
    assert "warning" in capsys.readouterr().err
    # The HCPC list holds no answer text, so it has nothing to refuse.
    assert run(["export", "--as", "hcpc", "--strict"]) == 0


@pytest.mark.parametrize(("fmt", "refused"), [("markdown", True), ("json", True), ("nmc", False)])
def test_cli_strict_checks_what_each_format_writes(
    cli: Journal, workbook: Workbook, capsys: pytest.CaptureFixture[str], fmt: str, refused: bool
) -> None:
    """A phone number in a table cell, and one in an earlier version of an answer."""
    prompt = workbook.stage(1).prompts[0]
    save(cli, Section("stage", "1"), prompt, "Call 07700 900123.", position=0, now=at(50))
    save(cli, Section("stage", "1"), prompt, "Details removed.", position=0, now=at(51))
    assert run(["export", "--as", fmt, "--strict", "--stage", "1"]) == (1 if refused else 0)
    capsys.readouterr()
    case = workbook.case(CASE)
    assert case is not None
    table = next(q for q in case.questions if isinstance(q, TableQuestion))
    rows = [["Ring 07700 900123", "", ""]] + [["", "", ""]] * (len(table.rows) - 1)
    save(cli, Section("case", case.id), table, rows, position=2, now=at(52))
    assert run(["export", "--as", fmt, "--strict", "--stage", "3"]) == (1 if refused else 0)


def test_cli_unknown_format(cli: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["export", "--as", "pdf"]) == 2
    err = capsys.readouterr().err
    assert "'pdf' is not a format" in err and "nmc" in err and "hcpc" in err


def test_every_format_runs_from_the_cli(cli: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    for name in list(FORMATS):
        assert run(["export", "--as", name, "--case", "2"]) == 0, name
        assert capsys.readouterr().out


# -- one activity per account, from the command line ---------------------------------------
def test_cli_account_needs_one_activity(cli: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["export", "--as", "nmc"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "is about one activity" in captured.err
    assert "--case 2 (Case study 2: The meeting nobody came to)" in captured.err
    assert "--stage 1 (Stage 1:" in captured.err
    assert run(["export", "--as", "swe", "--case", "5"]) == 3
    assert "not answered anything in case study 5" in capsys.readouterr().err


def test_cli_account_picked_from_a_list(
    cli: Journal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_cmd, "_can_ask", lambda st: True)
    answers = iter(["7", "3", ""])
    monkeypatch.setattr(builtins, "input", lambda *a: next(answers))
    assert run(["export", "--as", "swe"]) == 0
    captured = capsys.readouterr()
    assert "Which activity" in captured.err and "Which activity" not in captured.out
    assert "Type a number from 1 to 4" in captured.err
    assert captured.out.startswith(
        "# Social Work England CPD record: Case study 2: The meeting nobody came to"
    )


def test_cli_account_keeps_the_reflections_that_followed_the_case(
    cli: Journal, workbook: Workbook, capsys: pytest.CaptureFixture[str]
) -> None:
    case = workbook.case(CASE)
    assert case is not None
    start_cycle(cli.path, date(2026, 1, 12), after_case=case.id)
    for draft in LOG:
        cpdlog.add(cli, draft, today=GENERATED, now=at(60))
    assert run(["export", "--as", "nmc", "--case", "2", "--themes", "3"]) == 0
    account, record = capsys.readouterr().out.split("\n---\n")
    assert "From: Week 2 reflection (cycle 1), question 3" in account
    assert "From: Stage 1" not in account
    assert "In my CPD log: 12 January 2026, 1 hour, with others." in account
    assert "| 20 January 2026 | course | Safeguarding update \\| level 3 |   | 1.5 | 1.5 |" in record


def test_cli_strict_checks_the_cpd_log(cli: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    cpdlog.add(
        cli,
        Draft(date(2026, 2, 1), 30, "Call back on 07700 900123", "supervision"),
        today=GENERATED,
        now=at(60),
    )
    assert run(["export", "--as", "hcpc", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "CPD log entry 1" in err and "reflectkit log edit 1" in err
    assert run(["export", "--as", "markdown", "--strict", "--stage", "2"]) == 0, "the log is not in it"


def test_a_note_fills_the_account_by_its_models_stages(workbook: Workbook) -> None:
    """Gibbs' description is the nature of the event; its analysis what was learnt; its
    action plan the change. Its feelings feed no part of the form, so they are left out."""
    from reflectkit.journal import models

    if "note" not in models.SectionKind.__args__ or not hasattr(models, "NoteInfo"):  # type: ignore[attr-defined]
        pytest.skip("this version has no notes")
    texts = {"description": "A home visit ZQN1", "feelings": "Worried ZQN2", "analysis": "Roles differ ZQN3",
             "action-plan": "Explain first ZQN4"}  # fmt: skip
    answers = {
        qid: models.Answer(question=qid, kind="text", value=text, created=START, updated=START, position=pos)
        for pos, (qid, text) in enumerate(texts.items())
    }
    info = models.NoteInfo(title="Home visit", event_date=date(2026, 1, 5), model="gibbs")
    unit = models.Unit(section="note", ref="2026-01-05-1", answers=answers, note=info)
    doc = Document("default", GENERATED, [Part("Note: Home visit (5 January 2026)", unit)])
    nature, learnt, changed, _ = nmc.export(doc, workbook).split("\n---\n")[0].split("\n## ")[1:]
    assert "A reflection on an event or experience in my practice" in nature and "ZQN1" in nature
    assert "ZQN3" in learnt and "ZQN4" in changed
    assert "ZQN2" not in nature + learnt + changed
