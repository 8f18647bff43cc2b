"""Words the workbook's content uses in its own schema and its records alike: the
professions it is written for, and how a checked month is said."""

from __future__ import annotations

from typing import Literal

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


def month_words(month: str) -> str:
    """'2026-11' to 'November 2026'."""
    year, _, number = month.partition("-")
    return f"{MONTH_NAMES[int(number) - 1]} {year}"


Profession = Literal[
    "social-work",
    "health-visiting",
    "nursing",
    "midwifery",
    "primary-care",
    "mental-health",
    "education",
    "housing",
    "community-work",
]
PROFESSIONS: tuple[str, ...] = Profession.__args__  # type: ignore[attr-defined]
# What people type for their own job, mapped to the professions above.
_PROFESSION_WORDS = {
    "social worker": "social-work",
    "health visitor": "health-visiting",
    "nurse": "nursing",
    "midwife": "midwifery",
    "gp": "primary-care",
    "doctor": "primary-care",
    "teacher": "education",
    "teaching": "education",
    "school": "education",
    "housing officer": "housing",
    "mental health": "mental-health",
    "community worker": "community-work",
    "community": "community-work",
}


def profession_from(text: str) -> str | None:
    """'Health visitor', 'health visiting' or 'health-visiting' to 'health-visiting'."""
    words = " ".join(text.lower().replace("-", " ").replace("_", " ").split())
    for name in PROFESSIONS:
        if words == name.replace("-", " "):
            return name
    return _PROFESSION_WORDS.get(words.removesuffix("s")) or _PROFESSION_WORDS.get(words)
