"""The quick layout of plain text agrees with Rich's, character for character."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from reflectkit.cli.fastwrap import fits, lay_out

PIECES = st.sampled_from([*"ab cdefghij  KLM.,;-", "\n", "   ", "x" * 30, "word "])
ASCII = st.lists(PIECES, max_size=120).map("".join)


def rich_prints(text: str, width: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False, emoji=False)
    console.print(Text(text))
    return out.getvalue()


@settings(max_examples=3000, deadline=None)
@given(ASCII, st.integers(min_value=4, max_value=100))
def test_plain_text_is_laid_out_as_rich_lays_it_out(text: str, width: int) -> None:
    assert fits(text)
    assert lay_out(text, width) == rich_prints(text, width)


def test_words_longer_than_a_line_and_trailing_spaces() -> None:
    long_first = "aa" + "x" * 30 + " " + "x" * 30  # folded, then a word after its trailing space
    for text in ("  " + "y" * 95 + "  end  ", "a " * 60, "word" * 50 + "\n\n  indented line", "", long_first):
        for width in (10, 79, 80):
            assert lay_out(text, width) == rich_prints(text, width)


def test_only_one_cell_characters_fit() -> None:
    assert fits("plain text, with a newline\nand symbols ~!@#")
    assert not fits("tab\there") and not fits("café") and not fits("宽") and not fits("\x1b[31m")


def test_the_remembered_layout_is_the_layout() -> None:
    from reflectkit.cli.fastwrap import laid_out

    text = "A question asked in every part of a long journal, wrapped the same each time."
    assert laid_out(text, 30) == lay_out(text, 30) == laid_out(text, 30)
    assert laid_out(text, 50) == lay_out(text, 50)
    assert laid_out("café", 30) is None
