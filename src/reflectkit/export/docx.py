"""Any export as a Word document (.docx), for the regulators' forms and for printing.

The exporter's Markdown is parsed by :func:`reflectkit.export.html.parse` (so the user's
words come through exactly, never re-read as Markdown) and written with python-docx, which
is imported only here: headings become Word headings, tables Word tables, each answer one
paragraph in the "Quote" style with its line breaks kept, lists Word lists, and a
horizontal rule a page break (each account of a regulator's export starts a new page).
The result opens in Word and LibreOffice.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from reflectkit.export.html import QUOTE, parse, title_of

if TYPE_CHECKING:
    from markdown_it.token import Token

MONOSPACE = "Courier New"
# Characters an XML document cannot hold at all: shown as escapes rather than lost.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


class _Writer:
    """Walks the tokens once, writing each block into the document."""

    def __init__(self, document: Any) -> None:
        self.doc = document
        self.lists: list[str] = []  # "List Bullet" or "List Number", one per open list

    def inline(self, paragraph: Any, token: Token) -> None:
        """The runs of one inline token: bold, italic and code kept, links with their address."""
        bold = italic = False
        link = ""
        for child in token.children or []:
            kind = child.type
            if kind in ("strong_open", "strong_close"):
                bold = kind == "strong_open"
            elif kind in ("em_open", "em_close"):
                italic = kind == "em_open"
            elif kind == "link_open":
                link = str(child.attrs.get("href", ""))
            elif kind == "link_close" and link:
                paragraph.add_run(f" ({_xml_safe(link)})")
                link = ""
            elif kind in ("softbreak", "hardbreak"):
                paragraph.add_run().add_break() if kind == "hardbreak" else paragraph.add_run(" ")
            elif kind in ("text", "code_inline", "html_inline", "image"):
                run = paragraph.add_run(_xml_safe(child.content))
                run.bold, run.italic = bold or None, italic or None
                if kind == "code_inline":
                    run.font.name = MONOSPACE

    def block(self, tokens: list[Token], index: int) -> int:
        """Write the block starting at ``tokens[index]``; return the index after it."""
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            level = min(int(token.tag[1:]), 9)
            paragraph = self.doc.add_heading("", level=level)
            self.inline(paragraph, tokens[index + 1])
            return index + 3
        if kind == "paragraph_open":
            style = self._list_style() if token.level and self.lists else None
            paragraph = self.doc.add_paragraph(style=style)
            self.inline(paragraph, tokens[index + 1])
            return index + 3
        if kind == QUOTE:
            self.doc.add_paragraph(_xml_safe(token.content), style="Quote")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append("List Bullet" if kind == "bullet_list_open" else "List Number")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "table_open":
            return self.table(tokens, index)
        elif kind == "hr":
            self.doc.add_page_break()
        elif kind in ("fence", "code_block"):
            run = self.doc.add_paragraph().add_run(_xml_safe(token.content.rstrip("\n")))
            run.font.name = MONOSPACE
        return index + 1

    def _list_style(self) -> str:
        depth = len(self.lists)
        return self.lists[-1] + (f" {min(depth, 3)}" if depth > 1 else "")

    def table(self, tokens: list[Token], index: int) -> int:
        """A Markdown table as a Word table, its header row in bold."""
        rows: list[list[Token]] = []
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline":
                rows[-1].append(token)
            index += 1
        width = max((len(r) for r in rows), default=0)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, token in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                self.inline(paragraph, token)
                for run in paragraph.runs if r == 0 else []:
                    run.bold = True
        self.doc.add_paragraph()
        return index + 1


def render(markdown: str, *, made: date | None = None) -> bytes:
    """The Word document for an export's Markdown, as bytes. ``made`` dates it (today by default)."""
    from docx import Document

    tokens = parse(markdown)
    document = Document()
    props = document.core_properties
    props.title = _xml_safe(title_of(tokens))
    props.author = props.last_modified_by = "reflectkit"
    props.comments = ""
    stamp = datetime.combine(made or date.today(), datetime.min.time(), UTC)
    props.created = props.modified = stamp
    writer = _Writer(document)
    index = 0
    while index < len(tokens):
        index = writer.block(tokens, index)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- choosing the kind of file ---------------------------------------------------------------
KINDS = {"markdown": ".md", "html": ".html", "docx": ".docx"}


def file_kind(fmt: str, *, docx: bool, html: bool, output: str | None) -> str:
    """markdown, html or docx: from --docx or --html, else from the --output file's name.

    Raises:
        UsageError: both were asked for, the format is JSON, or a Word document was asked
            for without a file to write it to (it is not text, so never sent to a terminal).
    """
    from reflectkit.errors import UsageError

    if docx and html:
        raise UsageError("Choose --docx or --html, not both.")
    suffix = (output or "").lower().rpartition(".")[2]
    kind = (
        "docx"
        if docx
        else "html"
        if html
        else {"docx": "docx", "html": "html", "htm": "html"}.get(suffix, "markdown")
    )
    if kind != "markdown" and fmt == "json":
        raise UsageError(
            f"--as json writes JSON; it cannot also be {kind.upper()}.", hint="Leave out --as json."
        )
    if kind == "docx" and output in (None, "-"):
        raise UsageError(
            "A Word document is not text, so reflectkit writes it only to a file; nothing was exported.",
            hint="Add --output FILE.docx, for example --output account.docx",
        )
    return kind


def convert(markdown: str, kind: str, *, made: date | None = None) -> str | bytes:
    """The export as the kind of file asked for: the Markdown itself, an HTML page, or Word."""
    if kind == "docx":
        return render(markdown, made=made)
    if kind == "html":
        from reflectkit.export.html import render as page

        return page(markdown)
    return markdown
