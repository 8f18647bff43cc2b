"""What reaches the terminal and the Markdown export: no control, bidirectional or
invisible character raw; and typed text survives a closed window and an older terminal's
encoding (the installed script in a real pseudo-terminal)."""

from __future__ import annotations

import re
import signal
import sys
import time
import unicodedata
from pathlib import Path

import pexpect  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reflectkit.cli.runner import run
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, Store
from reflectkit.textsafe import for_markdown, one_line, safe
from tests.conftest import reflectkit_env

SCRIPT = Path(sys.executable).parent / "reflectkit"
STAGE1 = Section("stage", "1")


def spawn_stage1(home: Path, **env: str) -> pexpect.spawn:
    child = pexpect.spawn(
        str(SCRIPT),
        ["stage", "1", "--prompt", "1"],
        env=reflectkit_env(
            home, REFLECTKIT_TODAY="2026-11-23", TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", **env
        ),
        timeout=20,
    )
    while child.expect([b"Press Enter to go on", b"Enter on an empty line: finish"]) == 0:  # a welcome
        child.send(b"\r")
    return child


def stored_text(home: Path) -> str:
    journal_dir = home / "journals" / "default"
    if not journal_dir.is_dir():
        return ""
    unit = Store(home).journal("default").load(STAGE1)
    if unit is None or "relate" not in unit.answers:
        return ""
    answer = unit.answers["relate"]
    return "\n".join(str(v) for v in [answer.value, *(e.value for e in answer.history)])


def finish(child: pexpect.spawn) -> None:
    try:
        child.expect(pexpect.EOF, timeout=10)
    finally:
        child.close()


@pytest.mark.posix
@pytest.mark.slow
def test_a_pound_sign_from_a_latin1_terminal_is_kept(home: Path) -> None:
    child = spawn_stage1(home)
    child.send(b"first line of a long reflection\r")
    child.send(b"rent was \xa3100 a week\r")
    time.sleep(0.4)
    child.send(b"\r")
    child.expect(b"Saved")
    finish(child)
    output = child.before.decode("utf-8", "replace")
    assert "Traceback" not in output
    assert stored_text(home) == "first line of a long reflection\nrent was £100 a week"


@pytest.mark.posix
@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_closing_the_terminal_keeps_everything_typed(home: Path, sig: int) -> None:
    child = spawn_stage1(home)
    child.send(b"first line of a long reflection\r")
    child.send(b"second line, half wri")  # the line in progress counts too
    time.sleep(0.5)
    child.kill(sig)
    finish(child)
    assert stored_text(home) == "first line of a long reflection\nsecond line, half wri"


# --- Invisible characters are shown, never passed through raw ----------------------------

# Characters a reader cannot see, or that move or break the text around them.
RAW_UNSAFE = {"Cc", "Cf", "Zl", "Zp", "Cs"}
EMOJI = re.compile("[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")
FAMILY = "👩\u200d👩\u200d👧"  # one emoji, joined by zero-width joiners
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


def raw_unsafe(shown: str) -> list[str]:
    return [c for c in shown if unicodedata.category(c) in RAW_UNSAFE and c not in "\n\t"]


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\u200b", "\\u200b"),  # zero-width space
        ("\u200c", "\\u200c"),  # zero-width non-joiner
        ("\u200d", "\\u200d"),  # zero-width joiner
        ("\u2060", "\\u2060"),  # word joiner
        ("\ufeff", "\\ufeff"),  # zero-width no-break space
        ("\u00ad", "\\xad"),  # soft hyphen
        ("\u2028", "\\u2028"),  # line separator
        ("\u2029", "\\u2029"),  # paragraph separator
        ("\u180e", "\\u180e"),  # Mongolian vowel separator
        ("\u2064", "\\u2064"),  # invisible plus
        ("\u3164", "\\u3164"),  # Hangul filler: a letter that shows as nothing
        ("\U000e0041", "\\U000e0041"),  # a tag character, which can hide text
        ("\x1b", "\\x1b"),
        ("\u202e", "\\u202e"),
    ],
)
def test_invisible_characters_are_shown_as_escapes(char: str, shown: str) -> None:
    assert safe(f"Mrs Be{char}gum") == f"Mrs Be{shown}gum"


def test_every_control_format_and_separator_character_is_escaped() -> None:
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) in RAW_UNSAFE and char not in "\n\t":
            for show in (safe, for_markdown):
                assert show(char).isascii(), (hex(code), show.__name__)


def test_emoji_built_with_joiners_stay_whole() -> None:
    assert safe(f"a {FAMILY} and {ENGLAND} flag") == f"a {FAMILY} and {ENGLAND} flag"
    assert for_markdown(f"{FAMILY} {ENGLAND}") == f"{FAMILY} {ENGLAND}"
    # A joiner that joins nothing, or tags that spell something else, are shown.
    assert safe("👩\u200d.") == "👩\\u200d."
    assert safe("a\u200d👧") == "a\\u200d👧"
    assert safe("\U0001f3f4\U000e0068\U000e0069\U000e007f") == "\U0001f3f4\\U000e0068\\U000e0069\\U000e007f"


def test_crlf_still_becomes_lf_and_a_lone_cr_is_shown() -> None:
    assert safe("a\r\nb\rc") == "a\nb\\x0dc"
    assert for_markdown("a\r\nb\rc") == "a\nb\\x0dc"


def test_one_line_shows_separators_and_never_cuts_an_escape_in_two() -> None:
    assert one_line("a\u2028b\u2029c\u200bd") == "a\\u2028b\\u2029c\\u200bd"
    assert one_line("x" * 76 + "\u200b" + "y" * 10) == "x" * 76 + "…"
    cut = one_line("x" * 77 + FAMILY + "y" * 10)
    assert cut == "x" * 77 + "👩…" and not raw_unsafe(cut)
    flag_cut = one_line("x" * 75 + ENGLAND + "y" * 10)
    assert flag_cut == "x" * 75 + "\U0001f3f4…"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_nothing_unsafe_reaches_the_screen_or_the_markdown(text: str) -> None:
    text = EMOJI.sub("", text)  # emoji sequences may keep their joiners
    for shown in (safe(text), one_line(text), one_line(text, 12), for_markdown(text)):
        assert not raw_unsafe(shown), shown


# --- Markdown keeps invisible characters, harmlessly --------------------------------------


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("Mrs Be\u200bgum", "Mrs Be&#x200B;gum"),
        ("soft\u00adhyphen", "soft&#xAD;hyphen"),
        ("one\u2028two\u2029three", "one&#x2028;two&#x2029;three"),
        ("\ufeffstart", "&#xFEFF;start"),
        ("tag\U000e0041", "tag&#xE0041;"),
        ("fish & <b>chips</b>", "fish &amp; &lt;b>chips&lt;/b>"),
        ("&#x200B; typed", "&amp;#x200B; typed"),  # typed text stays what was typed
        ("esc \x1b[31mred \x00 \x9b", "esc \\x1b[31mred \\x00 \\x9b"),
        ("abc \u202edef \u2066x\u2069", "abc \\u202edef \\u2066x\\u2069"),
    ],
)
def test_for_markdown(text: str, markdown: str) -> None:
    assert for_markdown(text) == markdown


def test_markdown_viewers_keep_the_text_and_run_nothing() -> None:
    text = "Zero\u200bwidth, soft\u00adhyphen, <script>alert(1)</script> \u202eevil \x1b[2J"
    html = MarkdownIt().render("> " + for_markdown(text))
    assert "Zero\u200bwidth, soft\u00adhyphen" in html  # the characters are kept
    assert "<script>" not in html and "\u202e" not in html and "\x1b" not in html
    assert "\\u202eevil \\x1b[2J" in html


def test_journal_show_makes_invisible_characters_visible(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    journal.save_answer(
        STAGE1,
        "relate",
        question="Q\u200b",
        kind="text",
        value="NHS 943\u200b476 5919\u2028Mrs\u00adBegum",
    )
    assert run(["journal", "show"]) == 0
    out = capsys.readouterr().out
    assert not raw_unsafe(out), raw_unsafe(out)
    assert "943\\u200b476 5919\\u2028Mrs\\xadBegum" in out
