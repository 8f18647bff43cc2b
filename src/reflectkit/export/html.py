"""Any export as a complete HTML page, ready to print from a browser.

The Markdown an exporter produces is parsed with markdown-it-py (imported only here and in
:mod:`.docx`). Raw HTML is never passed through, and the page loads nothing from anywhere:
its small stylesheet is inline, with print rules (page margins, a page break at each
horizontal rule, no table row or quote split across pages).

The user's own words are never read as Markdown a second time. Exporters put every answer
in a block quote and every stored text in a table cell or heading escaped; here those are
turned back into the exact text (entities such as ``&amp;`` and ``&#x200B;`` decoded, the
line breaks kept), so a ``*`` or ``_`` someone typed stays a ``*`` or ``_``. :func:`parse`
does this for both the HTML page and the Word document.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

TICKS = {"[x] ": "☒ ", "[ ] ": "☐ "}
QUOTE = "quote_text"  # a block quote's whole text, exactly as the user wrote it
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a CommonMark backslash escape
STYLE = """
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.5; color: #111;
  max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3, h4 { font-family: "Segoe UI", Helvetica, Arial, sans-serif; line-height: 1.25; }
blockquote { margin: 0.5em 0 1em; padding: 0.5em 1em; border-left: 4px solid #888; background: #f6f6f6; }
blockquote p { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
code { font-family: Consolas, Menlo, monospace; font-size: 0.95em; }
hr { border: 0; border-top: 1px solid #999; margin: 2em 0; }
@page { margin: 2cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  blockquote { background: none; }
  hr { break-after: page; border: 0; margin: 0; }
  h1, h2, h3, h4 { break-after: avoid; }
  tr, blockquote { break-inside: avoid; }
}
""".strip()


def literal(text: str) -> str:
    """Escaped stored text (a table cell, a heading) back to the text itself."""
    return html.unescape(_ESCAPED.sub(r"\1", text))


def unquote(lines: list[str]) -> str:
    """The text inside a block quote written by :func:`reflectkit.export.markdown.quote`:
    one ``>`` level taken off each line, the two spaces it adds to keep a line break
    taken off again, the backslash escapes and the entities decoded."""
    inner = [
        line[2:] if line.startswith("> ") else line[1:] if line.startswith(">") else line for line in lines
    ]
    out = []
    for index, line in enumerate(inner):
        following = index + 1 < len(inner) and inner[index + 1].strip()
        if following and line.strip() and line.endswith("  "):
            line = line[:-2]
        out.append(line)
    return literal("\n".join(out))


def parse(markdown: str) -> list[Token]:
    """markdown-it tokens for ``markdown``, with the user's text made literal: each outer
    block quote becomes one ``quote_text`` token holding its exact text, and table cells
    and headings hold their text as a single text token."""
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    source = markdown.split("\n")
    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(markdown)
    out: list[Token] = []
    depth, cell = 0, False
    for token in tokens:
        if token.type in ("blockquote_open", "blockquote_close"):
            depth += 1 if token.type == "blockquote_open" else -1
            if token.type == "blockquote_open" and depth == 1:
                start, end = token.map or (0, 0)
                out += [token, Token(QUOTE, "", 0, content=unquote(source[start:end]))]
            elif depth == 0:
                out.append(token)
            continue
        if depth:  # inside a quote: its text is already in the quote_text token
            continue
        cell = token.type in ("th_open", "td_open", "heading_open") or (cell and token.type == "inline")
        if token.type == "inline" and cell:
            token.children = [Token("text", "", 0, content=literal(token.content))]
        elif token.type == "inline" and token.children and token.children[0].type == "text":
            first = token.children[0]  # a task list's box, as the character a printed form shows
            first.content = TICKS.get(first.content[:4], first.content[:4]) + first.content[4:]
        out.append(token)
    return out


def _quote_html(_renderer: object, tokens: list[Token], idx: int, *_: object) -> str:
    return f"<p>{html.escape(tokens[idx].content, quote=False)}</p>\n"


def title_of(tokens: list[Token], fallback: str = "reflectkit") -> str:
    """The text of the first heading, for the page's title."""
    for index, token in enumerate(tokens[:-1]):
        if token.type == "heading_open" and tokens[index + 1].children:
            return "".join(c.content for c in tokens[index + 1].children or [])
    return fallback


def render(markdown: str) -> str:
    """A complete, printable HTML page for an export's Markdown."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule(QUOTE, _quote_html)
    tokens = parse(markdown)
    body = md.renderer.render(tokens, md.options, {})
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en-GB">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="reflectkit">',
            f"<title>{html.escape(title_of(tokens), quote=False)}</title>",
            f"<style>\n{STYLE}\n</style>",
            "</head>",
            "<body>",
            "<main>",
            body.rstrip("\n"),
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
