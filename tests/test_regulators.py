"""The regulators' rules as content, periods, where a journal stands, and the commands.

Every figure reflectkit states comes from data/regulators/*.toml, each with its source and
the month it was checked; these tests hold the shipped figures to what was checked, so a
change to one is a deliberate change here too.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from reflectkit import regulators
from reflectkit.answering import context_for
from reflectkit.cli.runner import run
from reflectkit.config import load_config
from reflectkit.content.loader import load_builtin
from reflectkit.content.models import TableQuestion, Workbook
from reflectkit.errors import ContentError, UsageError
from reflectkit.journal import cpdlog
from reflectkit.journal.cpdlog import Draft
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, Store
from reflectkit.regulators import Dated, Window, add_years, load_regulators, status, window

TODAY = date(2026, 11, 30)
SHIPPED = sorted(p.stem for p in (Path(__file__).parents[1] / "data" / "regulators").glob("*.toml"))


@pytest.fixture(scope="module")
def rules() -> dict[str, regulators.Regulator]:
    return load_regulators()


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return load_builtin()


# -- the content ---------------------------------------------------------------------------------
def test_every_regulator_is_shipped_with_sources(rules: dict[str, regulators.Regulator]) -> None:
    assert sorted(regulators.ORDER) == SHIPPED and list(rules) == list(regulators.ORDER)
    for reg in rules.values():
        assert reg.page.startswith("https://")
        sources = [r.source for r in reg.requirements] + [n.source for n in reg.notes]
        for source in sources:
            assert source.title and source.organisation and source.url.startswith(("https://", "http://"))
            assert source.checked == reg.checked, f"{reg.id}: every rule is checked in the same month"


def test_the_figures_are_the_ones_checked(rules: dict[str, regulators.Regulator]) -> None:
    def figures(rid: str) -> dict[str, int | None]:
        return {r.measure: r.target for r in rules[rid].requirements if r.measure != "none"}

    assert figures("nmc") == {
        "accounts": 5,
        "cpd-hours": 35,
        "participatory-hours": 20,
        "feedback": 5,
        "discussion": 1,
    }
    assert (rules["nmc"].period.years, rules["nmc"].period.ends) == (3, "renewal-date")
    assert figures("swe") == {"records": 2, "peer-reflection": 1}
    assert (rules["swe"].period.years, rules["swe"].period.ends) == (1, "11-30")
    assert figures("hcpc") == {"record": None, "gaps": 3} and rules["hcpc"].period.years == 2
    assert figures("niscc") == {"cpd-hours": 90} and rules["niscc"].period.years == 3
    # Social Care Wales and the SSSC set no number of hours: reflectkit must not state one.
    assert figures("scw") == {"record": None} and figures("sssc") == {"record": None}
    assert rules["sssc"].period.years == 1


def test_a_broken_rules_file_is_refused_with_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "regulators"
    folder.mkdir()
    (folder / "bad.toml").write_text(
        'schema_version = 1\nid = "bad"\nname = "X"\nshort = "X"\nwho = "x"\npage = "ftp://x"\n'
        'export = "x"\nchecked = "2026-13"\n[period]\nyears = 3\nends = "renewal-date"\n'
        'date_name = "d"\nabout = "a"\n[[requirements]]\nid = "r"\ntitle = "t"\nmeasure = "accounts"\n'
        'text = "t"\n[requirements.source]\ntitle = "t"\norganisation = "o"\nurl = "https://x"\n'
        'checked = "2026-12"\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_regulators(tmp_path)
    problems = "\n".join(caught.value.problems)
    assert "bad.toml: page:" in problems and "bad.toml: checked:" in problems
    assert "needs a target" in problems


def test_choose_names_the_choices(rules: dict[str, regulators.Regulator]) -> None:
    assert regulators.choose(rules, " NMC ").id == "nmc"
    with pytest.raises(UsageError) as caught:
        regulators.choose(rules, "gmc")
    assert "nmc (Nursing and Midwifery Council)" in caught.value.hint


# -- periods --------------------------------------------------------------------------------------
def test_social_work_englands_year_ends_on_30_november(rules: dict[str, regulators.Regulator]) -> None:
    period = rules["swe"].period
    assert window(period, date(2026, 11, 30), None) == Window(
        date(2025, 12, 1), date(2026, 11, 30), date(2026, 11, 30)
    )
    assert window(period, date(2026, 12, 1), None) == Window(
        date(2026, 12, 1), date(2027, 11, 30), date(2027, 11, 30)
    )


def test_a_renewal_date_sets_the_period(rules: dict[str, regulators.Regulator]) -> None:
    period = rules["nmc"].period
    given = date(2027, 3, 31)
    assert window(period, TODAY, given) == Window(date(2024, 4, 1), given, given)
    # A renewal date that has passed: the next period, three years on.
    assert window(period, TODAY, date(2026, 3, 31)) == Window(
        date(2026, 4, 1), date(2029, 3, 31), date(2029, 3, 31), True
    )
    # None given: the three years up to today, with no due date.
    assert window(period, TODAY, None) == Window(date(2023, 12, 1), TODAY, None)
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


# -- where a journal stands ----------------------------------------------------------------------
def finish_case(jr: Journal, wb: Workbook, number: int, when: datetime) -> None:
    case = wb.case(number)
    assert case is not None
    for pos, q in enumerate([*wb.stage(3).prompts, *case.questions]):
        value: Any = "An answer."
        if isinstance(q, TableQuestion):
            value = [[""] * len(q.columns) for _ in q.rows]
        elif q.kind != "text":
            value = {"statements": [1], "scale": 3}[q.kind]
        jr.save_answer(
            Section("case", case.id), q.id, question=q.prompt, kind=q.kind, value=value,
            position=pos, context=context_for(q), now=when,
        )  # fmt: skip


@pytest.fixture
def built(journal: Journal, workbook: Workbook) -> Journal:
    """Two finished case studies, one started; a CPD log of known hours, one entry too old."""
    finish_case(journal, workbook, 1, datetime(2025, 6, 2, 10, 0, tzinfo=UTC))
    finish_case(journal, workbook, 2, datetime(2026, 10, 5, 10, 0, tzinfo=UTC))
    first = workbook.stage(3).prompts[0]
    journal.save_answer(Section("case", workbook.case_studies[2].id), first.id, question=first.prompt,
                        kind="text", value="Started.", now=datetime(2026, 10, 6, tzinfo=UTC))  # fmt: skip
    log = [
        Draft(date(2024, 1, 10), 600, "Before this period", "course", True),
        Draft(date(2025, 3, 1), 420, "Study day", "course", True),
        Draft(date(2025, 9, 15), 90, "Reading on interpreters", "reading"),
        Draft(date(2026, 10, 5), 60, "Team session on case study 2", "team session", True, "my team", case=2),
        Draft(date(2026, 11, 20), 45, "Discussion of my accounts", "reflective discussion", True),
    ]
    for draft in log:
        cpdlog.add(journal, draft, today=TODAY, now=datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    return journal


def standing_of(found: regulators.Status) -> dict[str, tuple[int, int | None, bool | None]]:
    return {s.requirement.id: (s.done, s.needed, s.met) for s in found.standings}


def test_nmc_status_for_a_journal_with_known_hours_and_accounts(
    built: Journal, workbook: Workbook, rules: dict[str, regulators.Regulator]
) -> None:
    work = regulators.finished_cases(built.units(), workbook)
    assert [(d.day, d.case) for d in work] == [(date(2025, 6, 2), 1), (date(2026, 10, 5), 2)]
    feedback = [Dated(date(2026, 1, 5), "Feedback from a family")]
    found = status(rules["nmc"], today=TODAY, given=date(2027, 3, 31), log=cpdlog.read_log(built).entries,
                   work=work, feedback=feedback)  # fmt: skip
    assert found.window == Window(date(2024, 4, 1), date(2027, 3, 31), date(2027, 3, 31))
    assert standing_of(found) == {
        "reflective-accounts": (2, 5, False),
        "cpd-hours": (420 + 90 + 60 + 45, 35 * 60, False),
        "participatory-hours": (420 + 60 + 45, 20 * 60, False),
        "practice-feedback": (1, 5, False),
        "reflective-discussion": (1, 1, True),
        "practice-hours": (0, None, None),
    }
    assert found.standings[0].short_by == 3 and found.standings[1].short_by == 35 * 60 - 615


def test_social_work_england_counts_each_piece_once(
    built: Journal, workbook: Workbook, rules: dict[str, regulators.Regulator]
) -> None:
    work = regulators.finished_cases(built.units(), workbook)
    found = status(rules["swe"], today=TODAY, given=None, log=cpdlog.read_log(built).entries, work=work)
    assert found.window.start == date(2025, 12, 1)
    # In the year: the team session (which is case study 2, logged) and the discussion.
    assert standing_of(found) == {"cpd-records": (2, 2, True), "peer-reflection": (1, 1, True)}


def test_hcpc_gaps_and_the_record(
    built: Journal, workbook: Workbook, rules: dict[str, regulators.Regulator]
) -> None:
    work = regulators.finished_cases(built.units(), workbook)
    found = status(
        rules["hcpc"], today=TODAY, given=date(2027, 6, 30), log=cpdlog.read_log(built).entries, work=work
    )
    record, gaps, profile = found.standings
    # In its two years: three log entries; case study 2 is logged, case study 1 is older.
    assert (record.done, record.needed, record.met) == (3, None, None)
    assert gaps.detail == ("2025-09-15 to 2026-10-05",) and gaps.met is False
    assert profile.met is None
    assert regulators.gaps([date(2026, 1, 15)], date(2026, 4, 14), 3) == []
    assert regulators.gaps([date(2026, 1, 15)], date(2026, 4, 15), 3) == [
        (date(2026, 1, 15), date(2026, 4, 15))
    ]


def test_notes_count_as_accounts_or_feedback() -> None:
    answer = SimpleNamespace(created=datetime(2026, 11, 2, 9, 0, tzinfo=UTC))

    def note(ref: str, tags: list[str]) -> Any:
        info = SimpleNamespace(title=f"Note {ref}", event_date=date(2026, 11, 1))
        return SimpleNamespace(section="note", ref=ref, answers={"a": answer}, note=info, tags=tags)

    accounts, feedback = regulators.notes_evidence([note("1", ["interpreters"]), note("2", ["feedback"])])
    assert [d.title for d in accounts] == ["Note 1"] and [d.title for d in feedback] == ["Note 2"]
    assert accounts[0].day == date(2026, 11, 1)


# -- the commands ---------------------------------------------------------------------------------
@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTKIT_TODAY", TODAY.isoformat())
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def said(text: str) -> str:
    """Output with its line breaks and runs of spaces made single spaces: the terminal's width
    decides where lines wrap, and no test depends on it."""
    return " ".join(text.split())


def test_setting_the_regulator_once(cli: None, store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["regulator", "nmc", "--renewal", "2027-03-31"]) == 0
    assert "the Nursing and Midwifery Council (renewal date 31 March 2027)" in said(capsys.readouterr().out)
    extra = load_config(store.config_path).extra
    assert extra["regulator"] == "nmc" and extra["regulator_date"] == date(2027, 3, 31)
    assert run(["regulator", "swe", "--renewal", "2027-03-31"]) == 2
    assert "has a fixed period" in said(capsys.readouterr().err)
    assert run(["regulator", "nmc", "--renewal", "2031-01-01"]) == 2
    assert run(["regulator", "nmc", "--renewal", "31/03/2027"]) == 2
    assert run(["regulator", "gmc"]) == 2
    assert load_config(store.config_path).extra["regulator_date"] == date(2027, 3, 31), (
        "refusals change nothing"
    )
    assert run(["regulator", "swe"]) == 0
    assert "regulator_date" not in load_config(store.config_path).extra


def test_revalidation_needs_a_regulator(cli: None, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["revalidation"]) == 2
    assert "reflectkit regulator nmc" in said(capsys.readouterr().err)
    assert not home.exists(), "asking creates nothing"


def test_the_revalidation_screen(cli: None, built: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["regulator", "nmc", "--renewal", "2027-03-31"]) == 0
    capsys.readouterr()
    assert run(["--plain", "revalidation"]) == 0
    out = said(capsys.readouterr().out)
    assert "Period: 1 April 2024 to 31 March 2027" in out and "Renewal date: 31 March 2027." in out
    assert "Written reflective accounts: 2 of 5; 3 more needed." in out
    assert "CPD hours: 10 hours 15 minutes of 35 hours; 24 hours 45 minutes more needed." in out
    assert "Reflective discussion: 1 of 1; done." in out
    assert "Practice hours: not counted by reflectkit." in out
    assert "This is a guide" in out and "https://www.nmc.org.uk/revalidation/" in out
    assert "━" not in out, "no bars in --plain"
    assert run(["revalidation", "--regulator", "hcpc", "--renewal", "2027-06-30"]) == 0
    out = said(capsys.readouterr().out)
    assert "2025-09-15 to 2026-10-05" in out and "the HCPC's own page" in out
