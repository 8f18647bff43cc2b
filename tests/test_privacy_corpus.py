"""The privacy check measured on a corpus: how much identifying text it finds (recall), and
how much ordinary reflective writing it flags (false positives).

The sentences live in ``tests/privacy_corpus/``: ``ordinary.toml`` (none identifies
anyone) and ``identifying.toml`` (each with the detail that must be found whole).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from reflectkit.privacy import KINDS, find_identifiers

CORPUS = Path(__file__).parent / "privacy_corpus"
MIN_RECALL = 0.95
MAX_FALSE_POSITIVE_RATE = 0.03


@cache
def corpus(name: str) -> dict[str, Any]:
    return tomllib.loads((CORPUS / f"{name}.toml").read_text(encoding="utf-8"))


def ordinary() -> list[str]:
    sentences: list[str] = corpus("ordinary")["sentences"]
    return sentences


def identifying() -> list[dict[str, str]]:
    sentences: list[dict[str, str]] = corpus("identifying")["sentences"]
    return sentences


def names() -> list[str]:
    listed: list[str] = corpus("identifying")["names"]
    return listed


def found_whole(sentence: dict[str, str]) -> bool:
    """Whether the check finds the sentence's detail, of its kind, in one finding."""
    text, detail = sentence["text"], sentence["finds"]
    start = text.index(detail)
    end = start + len(detail)
    findings = find_identifiers(text, names=names())
    return any(f.kind == sentence["kind"] and f.start <= start and f.end >= end for f in findings)


def test_the_corpus_is_large_and_varied_enough() -> None:
    assert len(ordinary()) >= 100
    assert len(set(ordinary())) == len(ordinary())
    assert len(identifying()) >= 50
    for sentence in identifying():
        assert sentence["finds"] in sentence["text"], sentence
        assert sentence["kind"] in KINDS, sentence
    assert {s["kind"] for s in identifying()} == set(KINDS)
    details = [s["finds"] for s in identifying()]
    for spelling in ("\u00a0", "\u200b", "\u00ad", "\u2009", "\u2013", "."):
        assert any(spelling in d for d in details), f"no detail spelt with {spelling!r}"
    assert any(d.islower() for d in details) and any(d.isupper() for d in details)


def test_recall_and_false_positives(capsys: pytest.CaptureFixture[str]) -> None:
    missed = [s["text"] for s in identifying() if not found_whole(s)]
    flagged = {
        text: [f"{f.kind} {f.text!r}" for f in findings]
        for text in ordinary()
        if (findings := find_identifiers(text, names=names()))
    }
    hits = len(identifying()) - len(missed)
    recall = hits / len(identifying())
    false_positive_rate = len(flagged) / len(ordinary())
    precision = hits / (hits + len(flagged))  # of the sentences flagged, how many identify
    with capsys.disabled():
        print(
            f"\nprivacy corpus: recall {recall:.3f} ({hits}/{len(identifying())} identifying "
            f"sentences found), false positives {false_positive_rate:.1%} ({len(flagged)}/"
            f"{len(ordinary())} ordinary sentences flagged), precision {precision:.3f}"
        )
    assert recall >= MIN_RECALL, "missed:\n" + "\n".join(map(repr, missed))
    assert false_positive_rate <= MAX_FALSE_POSITIVE_RATE, "flagged:\n" + "\n".join(
        f"{text!r}: {', '.join(found)}" for text, found in flagged.items()
    )
