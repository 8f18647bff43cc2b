"""Word and HTML: read back with python-docx, every answer's exact text, tables and headings;
a printable page that loads nothing; the command line; and LibreOffice, where installed."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest

from reflectkit.answering import context_for
from reflectkit.cli.runner import run
from reflectkit.content.loader import load_builtin
from reflectkit.content.models import TableQuestion, Workbook
from reflectkit.export import docx as word
from reflectkit.export import exporter, nmc
from reflectkit.export import html as page
from reflectkit.export.document import Document, gather
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal

GENERATED = date(2026, 3, 2)
START = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
# Quotes, pipes, markup, entities, emoji, a zero width space, Markdown that must stay text.
ANSWERS = [
    "She said \"it's fine\" | but <b>it</b> wasn't & I knew 🙂",
    "Zero\u200bwidth, a\u00a0no-break space, and a soft\u00adhyphen.",
    "Lines\nkept as typed\n\n\nafter three breaks, *not emphasis* and _not this_ either",
    "# not a heading\n- not a list\n> not a quote\n`not code` \\back\\slash\\ [not](a link)",
    "&amp; stays &amp; and &#x200B; stays as typed",
]
CELL = ["a | b & <c>", "\\ back slash * star", "🙂 zero\u200bwidth"]


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return load_builtin()


def fill(jr: Journal, wb: Workbook) -> None:
    case = wb.case(2)
    assert case is not None
    questions = [*wb.stage(3).prompts, *case.questions]
    texts = iter(ANSWERS)
    for pos, q in enumerate(questions):
        value: Any
        if isinstance(q, TableQuestion):
            value = [CELL[: len(q.columns)]] + [[""] * len(q.columns) for _ in q.rows[1:]]
        elif q.kind == "text":
            value = next(texts, "Another answer.")
        else:
            value = {"statements": [1], "scale": 4}[q.kind]
        jr.save_answer(
            Section("case", case.id), q.id, question=q.prompt, kind=q.kind, value=value,
            position=pos, context=context_for(q), now=START + timedelta(hours=pos),
        )  # fmt: skip
    rest = list(texts)  # more answers than the case study has text questions: into Stage 1
    stage1 = [q for q in wb.stage(1).prompts if q.kind == "text"]
    assert len(rest) <= len(stage1)
    for pos, (q, value) in enumerate(zip(stage1, rest, strict=False)):
        jr.save_answer(
            Section("stage", "1"), q.id, question=q.prompt, kind="text", value=value, position=pos, now=START
        )


@pytest.fixture
def doc(journal: Journal, workbook: Workbook) -> Document:
    fill(journal, workbook)
    return gather(journal.units(), workbook, journal=journal.name, generated=GENERATED)


def read_back(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


# -- Word --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["markdown", "nmc", "swe"])
def test_every_answer_comes_back_exactly(fmt: str, doc: Document, workbook: Workbook) -> None:
    document = read_back(word.render(exporter(fmt)(doc, workbook), made=GENERATED))
    quoted = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    for answer in ANSWERS:
        assert answer in quoted, answer


def test_headings_and_tables_are_real(doc: Document, workbook: Workbook) -> None:
    document = read_back(word.render(exporter("markdown")(doc, workbook), made=GENERATED))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Reflective journal: default")
    assert ("Heading 2", "Case study 2: The meeting nobody came to") in headings
    assert any(
        name == "Heading 3" and text.startswith("What is your immediate response") for name, text in headings
    )
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[1][1:] == CELL, "the table answer's cells, exactly"
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs), "the header row is bold"
    assert document.core_properties.title == "Reflective journal: default"


def test_each_account_starts_a_page(doc: Document, workbook: Workbook) -> None:
    text = nmc.export(doc, workbook)
    data = word.render(text, made=GENERATED)
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert body.count('w:type="page"') == text.count("\n---\n") == 2
    titles = [p.text for p in read_back(data).paragraphs if p.style.name == "Heading 1"]
    assert titles == [
        "NMC reflective account: Stage 1: What practitioners and migrant families told us",
        "NMC reflective account: Case study 2: The meeting nobody came to",
        "CPD record for NMC revalidation",
    ]
    ticks = [
        p.text for p in read_back(data).paragraphs if p.style.name == "List Bullet" and "Preserve" in p.text
    ]
    assert ticks == ["☐ Preserve safety"] * 2


def test_characters_xml_cannot_hold_are_shown_not_lost() -> None:
    data = word.render("# T\n\n> a\ufffeb\n", made=GENERATED)
    assert [p.text for p in read_back(data).paragraphs if p.style.name == "Quote"] == ["a\\ufffeb"]


# -- HTML ----------------------------------------------------------------------------------------------
def test_a_complete_printable_page_that_loads_nothing(doc: Document, workbook: Workbook) -> None:
    text = page.render(exporter("nmc")(doc, workbook))
    assert text.startswith('<!DOCTYPE html>\n<html lang="en-GB">') and text.endswith("</html>\n")
    assert '<meta charset="utf-8">' in text and "@media print" in text and "break-after: page" in text
    assert (
        "<title>NMC reflective account: Stage 1: What practitioners and migrant families told us</title>"
        in text
    )
    assert not re.search(r"<(script|link|img|iframe)\b|@import|url\(|\bsrc=", text), "nothing is loaded"


@pytest.mark.parametrize("fmt", ["markdown", "nmc"])
def test_html_answers_come_back_exactly(fmt: str, doc: Document, workbook: Workbook) -> None:
    text = page.render(exporter(fmt)(doc, workbook))
    quoted = [html.unescape(q) for q in re.findall(r"<blockquote>\n<p>(.*?)</p>\n</blockquote>", text, re.S)]
    for answer in ANSWERS:
        assert answer in quoted, answer
    assert "<b>" not in text and "<em>not emphasis" not in text


def test_html_table_cells_are_exact(doc: Document, workbook: Workbook) -> None:
    text = page.render(exporter("markdown")(doc, workbook))
    cells = [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", text, re.S)]
    assert all(c in cells for c in CELL)


# -- the command line ------------------------------------------------------------------------------------
@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, journal: Journal, workbook: Workbook) -> Journal:
    fill(journal, workbook)
    monkeypatch.setenv("REFLECTKIT_TODAY", GENERATED.isoformat())
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    return journal


def test_cli_word_needs_a_file(cli: Journal, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["export", "--as", "nmc", "--case", "2", "--docx"]) == 2
    captured = capsys.readouterr()
    assert "writes it only to a file" in captured.err and captured.out == ""
    assert run(["export", "--docx", "--output", "-"]) == 2
    assert run(["export", "--as", "json", "--html"]) == 2
    assert run(["export", "--docx", "--html", "--output", str(tmp_path / "x.docx")]) == 2
    assert not (tmp_path / "x.docx").exists()


def test_cli_writes_word_and_html(cli: Journal, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "account.docx"
    assert run(["export", "--as", "nmc", "--case", "2", "--docx", "--output", str(target)]) == 0
    assert (target.stat().st_mode & 0o777) == 0o600
    assert ANSWERS[0] in [p.text for p in read_back(target.read_bytes()).paragraphs]
    printed = tmp_path / "record.html"
    assert run(["export", "--as", "scw", "--output", str(printed)]) == 0, "the file name says HTML"
    assert printed.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert run(["export", "--worksheet", "2", "--html"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


# -- LibreOffice ------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_libreoffice_converts_the_word_document_to_pdf(
    doc: Document, workbook: Workbook, tmp_path: Path
) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice (soffice or libreoffice) is not on PATH")
    source = tmp_path / "account.docx"
    source.write_bytes(word.render(nmc.export(doc, workbook), made=GENERATED))
    profile = (tmp_path / "profile").as_uri()  # its own profile: no clash with a running LibreOffice
    command = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180
    )
    pdf = tmp_path / "account.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
