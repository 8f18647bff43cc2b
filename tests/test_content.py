"""The shipped workbook loads and keeps its promises; bad content gets clear errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reflectkit.content.loader import data_root, load_builtin, load_case_file, load_workbook
from reflectkit.content.models import CaseStudy, StatementsQuestion
from reflectkit.errors import ContentError

DATA = Path(__file__).resolve().parents[1] / "data"
CASE_FILES = sorted((DATA / "case_studies").glob("*.toml"))
GOOD = DATA / "case_studies" / "01-first-home-visit.toml"


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.name for p in CASE_FILES])
def test_every_shipped_case_study_loads_and_keeps_the_rules(path: Path) -> None:
    case = load_case_file(path)
    assert len(case.questions) >= 4
    assert case.sources and all(s.citation for s in case.sources)
    assert path.name.startswith(f"{case.number:02d}-")
    if case.number <= 3:
        assert case.composite
        assert "fictional" in case.evidence_note.lower() or "composite" in case.evidence_note.lower()
    for question in case.questions:
        if isinstance(question, StatementsQuestion):
            assert any(s.true for s in question.statements) and not all(s.true for s in question.statements)


def test_the_builtin_workbook_is_complete() -> None:
    wb = load_builtin()
    assert [c.number for c in wb.case_studies] == list(range(1, 13))
    assert wb.stage(1).prompts[-1].id == "confidence-role"
    assert any(q.id == "confidence-role" for q in wb.stage(4).revisit)
    assert [q.id for q in wb.stage(3).prompts] == ["immediate"]
    assert {q.id for q in wb.stage(4).weekly} == {"what", "so-what", "now-what"}
    assert len(wb.resources) >= 8
    assert all(stage.sources for stage in wb.stages[:2])


def test_case_study_4_has_three_statements_questions() -> None:
    case = load_builtin().case(4)
    assert case is not None
    assert sum(isinstance(q, StatementsQuestion) for q in case.questions) >= 3


def test_case_study_8_table_has_two_example_rows() -> None:
    case = load_builtin().case(8)
    assert case is not None
    tables = [q for q in case.questions if q.kind == "table"]
    assert tables and [bool(r.example) for r in tables[0].rows[:3]] == [True, True, False]


def test_no_copied_sentences_from_the_sources() -> None:
    tool = DATA.parents[1] / "shared" / "tools" / "check_verbatim.py"
    if not tool.exists():
        pytest.skip("the shared checker is not beside this checkout")
    result = subprocess.run([sys.executable, str(tool), str(DATA)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert " 0 copied runs" in result.stdout


def test_data_root_is_the_content_folder() -> None:
    assert (data_root() / "workbook.toml").is_file()


# -- Bad content ----------------------------------------------------------------------
def _case_data() -> dict:  # type: ignore[type-arg]
    return tomllib.loads(GOOD.read_text())


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def _toml(data: dict) -> str:  # type: ignore[type-arg]
    import tomli_w

    return tomli_w.dumps(data)


def _bad_cases() -> dict[str, tuple[str, str, str]]:
    """name -> (file name, file text, expected words in the error)."""
    base = _case_data()
    base.update(number=50, id="local-case")
    missing = {k: v for k, v in base.items() if k != "title"}
    no_true = _case_data() | {"number": 51, "id": "no-true"}
    for q in no_true["questions"]:
        if q["kind"] == "statements":
            for s in q["statements"]:
                s["true"] = False
    unknown = _case_data() | {"number": 52, "id": "unknown-kind"}
    unknown["questions"][0]["kind"] = "essay"
    return {
        "syntax": ("syntax.toml", 'title = "unclosed\n', "line 1"),
        "missing-field": ("missing.toml", _toml(missing), "title: Field required"),
        "no-true-statement": ("no-true.toml", _toml(no_true), "at least one true statement"),
        "unknown-kind": ("unknown.toml", _toml(unknown), "essay"),
        "oversized": ("big.toml", "# " + "x" * 600_000, "larger than"),
        "bad-file-name": ("Bad Name.toml", _toml(base), "file name"),
        "duplicate-number": ("dup.toml", _toml(_case_data() | {"id": "another-id"}), "used twice"),
        "duplicate-id": ("dupid.toml", _toml(_case_data() | {"number": 60}), "used twice"),
    }


@pytest.mark.parametrize("kind", list(_bad_cases()))
def test_a_broken_local_case_study_is_reported_and_skipped(tmp_path: Path, kind: str) -> None:
    name, text, expected = _bad_cases()[kind]
    local = tmp_path / "case_studies"
    _write(local, name, text)
    report = load_workbook(local)
    assert len(report.workbook.case_studies) == len(load_builtin().case_studies), (
        "the built-in workbook must still load"
    )
    assert len(report.skipped) == 1
    assert expected in str(report.skipped[0]), str(report.skipped[0])


def test_a_valid_local_case_study_appears_marked_local(tmp_path: Path) -> None:
    data = _case_data() | {"number": 100, "id": "my-own-case", "title": "My own case"}
    _write(tmp_path / "case_studies", "my-own-case.toml", _toml(data))
    report = load_workbook(tmp_path / "case_studies")
    case = report.workbook.case(100)
    assert case is not None and case.local and not report.skipped


def test_errors_name_the_file_and_field(tmp_path: Path) -> None:
    data = _case_data()
    data["questions"][1]["prompt"] = ""
    path = _write(tmp_path, "x.toml", _toml(data))
    with pytest.raises(ContentError) as caught:
        load_case_file(path)
    assert "x.toml: questions.1." in str(caught.value)


def test_a_broken_builtin_file_fails_loudly(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    (root / "case_studies" / "02-meeting-nobody-came-to.toml").write_text("number = 'two'")
    with pytest.raises(ContentError, match="02-meeting"):
        load_builtin(root)


def test_case_schema_is_json_schema() -> None:
    schema = CaseStudy.model_json_schema()
    assert schema["type"] == "object"
    assert {"number", "id", "title", "questions"} <= set(schema["required"])


@pytest.mark.slow
def test_the_wheel_contains_the_workbook(tmp_path: Path) -> None:
    import zipfile

    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed")
    root = DATA.parent
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(tmp_path), str(root)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "reflectkit/data/workbook.toml" in names
    for path in CASE_FILES:
        assert f"reflectkit/data/case_studies/{path.name}" in names


def test_the_readme_example_case_study_is_valid(tmp_path: Path) -> None:
    readme = (DATA.parent / "README.md").read_text()
    start = readme.index("```toml\nschema_version = 1") + len("```toml\n")
    example = readme[start : readme.index("```", start)]
    path = _write(tmp_path, "first-phone-call.toml", example)
    case = load_case_file(path)
    assert {q.kind for q in case.questions} == {"text", "statements", "table", "scale"}


MINIMAL = """
schema_version = 1
number = 30
id = "first-phone-call"
title = "The first phone call"
summary = "A family rings the surgery for the first time."
professions = ["primary-care"]
minutes = 15
composite = true
evidence_note = "A fictional story for a team session."
body = "A parent rings the practice to register her family."

[[sources]]
title = "Notes"
organisation = "Our practice"
url = "https://example.org/notes"
citation = "Our practice (2026) Notes."

[[questions]]
kind = "text"
id = "first-words"
prompt = "What would you say first?"

[[questions]]
kind = "scale"
id = "confidence"
prompt = "How confident are you?"
low_label = "Not at all"
high_label = "Very"

[[questions]]
kind = "text"
id = "second"
prompt = "And then?"

[[questions]]
kind = "table"
id = "answers"
prompt = "What would you tell them?"
row_header = "Their question"
columns = ["What they might expect", "What the answer is"]

[[questions.rows]]
label = "Do we have to pay?"

[[questions.rows]]
label = "Who sees our details?"
"""


def _case_with(tmp_path: Path, extra: str, replace: tuple[str, str] = ("", "")) -> Path:
    text = MINIMAL
    if replace[0]:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1])
    path = tmp_path / "mine.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_a_time_sensitive_source_must_say_when_it_was_checked(tmp_path: Path) -> None:
    source = (
        '\n[[sources]]\ntitle = "Rules"\norganisation = "Home Office"\n'
        'url = "https://www.gov.uk/x"\ncitation = "Home Office (2026) Rules."\ntime_sensitive = true\n'
    )
    # Appended after the questions, a [[sources]] table still belongs to the top level.
    with pytest.raises(ContentError) as err:
        load_case_file(_case_with(tmp_path, source))
    assert "time-sensitive source needs checked" in str(err.value)
    assert (
        load_case_file(_case_with(tmp_path, source + 'checked = "2026-11"\n')).sources[-1].checked
        == "2026-11"
    )


def test_a_factual_table_column_needs_a_model_answer_in_every_row(tmp_path: Path) -> None:
    marker = 'columns = ["What they might expect", "What the answer is"]'
    path = _case_with(tmp_path, "", (marker, 'factual_columns = [2]\nchecked = "2026-11"\n' + marker))
    with pytest.raises(ContentError) as err:
        load_case_file(path)
    assert "column 2 asks for a fact, so it needs a model answer" in str(err.value)
    answered = 'label = "Do we have to pay?"\nmodel = ["", "No: GP care is free to everyone."]'
    path = _case_with(tmp_path, "", (marker, 'factual_columns = [2]\nchecked = "2026-11"\n' + marker))
    text = path.read_text(encoding="utf-8").replace('label = "Do we have to pay?"', answered)
    path.write_text(
        text.replace('label = "Who sees our details?"', 'label = "Who?"\nmodel = ["", "Only the practice."]')
    )
    assert load_case_file(path).questions[3].factual_columns == [2]  # type: ignore[union-attr]


def test_stale_checked_months_warn_but_do_not_fail(tmp_path: Path) -> None:
    from datetime import date

    from reflectkit.content.loader import stale_checks

    rule = (
        '\n[[current_rules]]\ntopic = "Move-on period"\ntext = "Some days."\nchecked = "2025-01"\n'
        'where = "GOV.UK"\nurl = "https://www.gov.uk/"\n'
    )
    case = load_case_file(_case_with(tmp_path, rule))
    assert stale_checks(case, date(2025, 12, 1)) == []
    (warning,) = stale_checks(case, date(2026, 2, 1))
    assert "January 2025, 13 months ago" in warning
