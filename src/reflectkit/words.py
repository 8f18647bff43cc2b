"""Small pieces of English shared by every screen and export."""

from __future__ import annotations

from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def count(n: int, one: str, many: str = "") -> str:
    """'1 name', '2 names', '3 case studies' (with ``many`` for irregular plurals)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def day_words(day: date, *, weekday: bool = False) -> str:
    """'7 December 2026' or 'Monday 7 December 2026', in English whatever the locale."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{DAYS[day.weekday()]} {text}" if weekday else text


def span_words(first: date, last: date) -> str:
    """'on 30 November 2026', or 'between 2 and 30 November 2026' when the days differ."""
    if first == last:
        return f"on {day_words(first)}"
    return f"between {day_words(first)} and {day_words(last)}"
