"""Tests for reflectkit.privacy: what each rule flags, what it leaves alone, and safety."""

from __future__ import annotations

import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reflectkit.privacy import KINDS, LIMITATIONS, Finding, find_identifiers

DATA = Path(__file__).resolve().parents[1] / "data"
BIBLIOGRAPHIC_KEYS = {"citation", "url", "doi"}


def found(text: str, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(kind, text) for every finding, checking offsets on the way."""
    findings = find_identifiers(text, names=names)
    for f in findings:
        assert text[f.start : f.end] == f.text
    return [(f.kind, f.text) for f in findings]


def nhs_check_digit(first_nine: str) -> int:
    """The NHS mod-11 check digit for nine digits; 10 means no valid number exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    return (11 - total % 11) % 11


def valid_nhs(first_nine: str) -> str:
    check = nhs_check_digit(first_nine)
    assert check != 10, first_nine
    return f"{first_nine[:3]} {first_nine[3:6]} {first_nine[6:]}{check}"


# --- NHS numbers ---------------------------------------------------------------------


def test_the_helper_agrees_with_a_well_known_valid_nhs_number() -> None:
    assert valid_nhs("943476591") == "943 476 5919"


@pytest.mark.parametrize("number", ["943 476 5919", "943-476-5919", "9434765919"])
def test_nhs_number_formats(number: str) -> None:
    assert found(f"NHS no. {number} on file") == [("nhs-number", number)]


@pytest.mark.parametrize("first_nine", ["401023213", "485777345", "650000001", "712345678"])
def test_computed_valid_nhs_numbers_are_flagged(first_nine: str) -> None:
    if nhs_check_digit(first_nine) == 10:
        pytest.fail(f"choose another example: {first_nine} has no valid check digit")
    number = valid_nhs(first_nine)
    assert found(number) == [("nhs-number", number)]


def test_wrong_check_digit_is_not_an_nhs_number() -> None:
    for wrong in "012345678":
        number = "943 476 591" + wrong
        assert found(number) == [], number


def test_check_digit_of_ten_is_never_valid() -> None:
    first_nine = next(
        f"{n:09d}" for n in range(400_000_000, 400_001_000) if nhs_check_digit(f"{n:09d}") == 10
    )
    for last in "0123456789":
        assert found(f"{first_nine}{last}") == []


@pytest.mark.parametrize(
    "text",
    [
        "19434765919",  # part of a longer run of digits
        "94347659191",
        "943 476 59190",
        "943-476 5919",  # mixed separators
        "3.9434765919",  # a decimal
        "000 000 0000",  # passes the check, but a placeholder
        "1111111111",
    ],
)
def test_not_nhs_numbers(text: str) -> None:
    assert all(kind != "nhs-number" for kind, _ in found(text))


def test_nhs_number_shaped_like_a_phone_number() -> None:
    # 0123456789 has a valid check digit; changing the last digit makes it invalid,
    # and an invalid one that fits the phone rules is reported as a phone number.
    assert nhs_check_digit("012345678") == 9
    assert found("0123456789") == [("nhs-number", "0123456789")]
    assert found("0123456780") == [("phone", "0123456780")]


# --- National Insurance numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["AB 12 34 56 C", "AB123456C", "JG 103759 A", "ab123456c", "ZA 12 34 56 D"]
)
def test_ni_numbers(number: str) -> None:
    assert found(f"NI: {number}.") == [("ni-number", number)]


@pytest.mark.parametrize(
    "text",
    [
        "QQ123456C",  # the official example: Q is never a first letter
        "QQ 12 34 56 C",
        "DA123456A",  # D is never a first letter
        "AO123456A",  # O is never a second letter
        "BG123456A",  # prefixes that are not allocated
        "GB123456A",
        "NK123456A",
        "KN123456A",
        "TN123456A",
        "NT123456A",
        "ZZ123456A",
        "AB123456E",  # the suffix is A to D
        "AB12345C",  # five digits
        "XAB123456C",
        "the scores at 12 34 56 a glance",  # lower case with spaces
    ],
)
def test_not_ni_numbers(text: str) -> None:
    assert found(text) == []


# --- Postcodes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode",
    ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX", "sw1a 1aa",
     "SW1A1AA", "m11ae", "GIR 0AA"],
)  # fmt: skip
def test_postcodes(postcode: str) -> None:
    assert found(f"She lives near {postcode}, with her aunt.") == [("postcode", postcode)]


@pytest.mark.parametrize(
    "text",
    ["AB1", "M1", "the M1 motorway", "SW1A", "Q1 2ND quarter", "AB1 2C", "AB12 3CDE", "XSW1A 1AA"],
)
def test_not_postcodes(text: str) -> None:
    assert found(text) == []


# --- Phone numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "+44 7700 900123",
        "+447700900123",
        "0044 7700 900123",
        "+44 (0)20 7946 0018",
        "+44 20 7946 0018",
        "(020) 7946 0018",
        "020 7946 0018",
        "0161 496 0000",
        "(0161) 496 0000",
        "01632 960001",
        "0300 123 4567",
        "0808 157 0192",
    ],
)
def test_phone_numbers(number: str) -> None:
    assert found(f"Call {number} after 6pm.") == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "999",
        "111",
        "ring 999 or 111",
        "in 2019 and 2020",
        "0800 1111",  # too short
        "01 02 03 04 05 06",  # a list of small numbers
        "123 456 7890",  # does not start with 0
        "07700 9001234567",  # too long
        "05700 900123",  # 05 is not in the rules
        "2019-04-03 0",
    ],
)
def test_not_phone_numbers(text: str) -> None:
    assert all(kind != "phone" for kind, _ in found(text))


def test_phone_number_followed_by_a_small_number() -> None:
    assert found("call 01632 96000 2 times") == [("phone", "01632 96000")]


# --- Email addresses -------------------------------------------------------------------


@pytest.mark.parametrize("email", ["ann.smith@example.co.uk", "a+b@x.org", "first_last@nhs.net"])
def test_email_addresses(email: str) -> None:
    assert found(f"Email <{email}>.") == [("email", email)]


@pytest.mark.parametrize("text", ["@reflectkit", "user@localhost", "a@b", "me @ home.com"])
def test_not_email_addresses(text: str) -> None:
    assert found(text) == []


# --- Dates of birth --------------------------------------------------------------------

CUED_REASON = find_identifiers("born 3 April 2019")[0].reason
SOFT_REASON = "A full date can identify someone, for example a date of birth."


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("born on 3 April 2019", "3 April 2019"),
        ("She was born on the 3rd of April 2019", "3rd of April 2019"),
        ("Born: April 3rd, 2019", "April 3rd, 2019"),
        ("DOB: 03/04/2019", "03/04/2019"),
        ("D.O.B. 3.4.19", "3.4.19"),
        ("dob 2019-04-03", "2019-04-03"),
        ("Date of birth (from passport): 3 Apr 2019", "3 Apr 2019"),
        ("His birthday is 3 April", "3 April"),
        ("born in Leeds General Infirmary on 3 April 2019", "3 April 2019"),
        ("born\r\n3 April 2019", "3 April 2019"),
    ],
)
def test_dates_after_a_birth_cue(text: str, date: str) -> None:
    findings = find_identifiers(text)
    assert [(f.kind, f.text) for f in findings] == [("date-of-birth", date)]
    assert findings[0].reason == CUED_REASON


@pytest.mark.parametrize("date", ["03/04/2019", "3/4/2019", "03/04/19", "3.4.2019", "2019-04-03"])
def test_full_numeric_dates_without_a_cue_get_the_softer_reason(date: str) -> None:
    findings = find_identifiers(f"Child A, {date}, in reception.")
    assert [(f.kind, f.text, f.reason) for f in findings] == [("date-of-birth", date, SOFT_REASON)]


@pytest.mark.parametrize(
    "text",
    [
        "we met on 14/05/2024",
        "the review on 3/4/2025",
        "My supervision on 12/06/2025 helped.",
        "The letter was dated 02/09/2024.",
        "The audit covered cases open between 01/04/2024 and 31/03/2025.",
        "The MARAC met 21/11/2024 and agreed a plan.",
        "Review date: 15/01/2026",
    ],
)
def test_a_meeting_date_is_not_a_date_of_birth(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("She was born on 14/05/2024 at home.", "14/05/2024"),
        ("14/05/2024 is her birthday.", "14/05/2024"),
        ("We met on 3 April 2019 (her birthday).", "3 April 2019"),
        ("Seen on 12/11/2016, her date of birth.", "12/11/2016"),
    ],
)
def test_a_birth_cue_before_or_just_after_makes_a_date_a_date_of_birth(text: str, date: str) -> None:
    findings = find_identifiers(text)
    assert [(f.kind, f.text, f.reason) for f in findings] == [("date-of-birth", date, CUED_REASON)]


def test_a_birth_cue_further_after_a_date_is_not_borrowed() -> None:
    assert found("We met on 14/05/2024 to plan the party for her birthday.") == []


@pytest.mark.parametrize(
    "text",
    [
        "We met on 3 April 2019.",  # written dates need a cue
        "accessed: 4 June 2024",
        "Accessed 4 June 2024",
        "born in 1990",  # a bare year
        "In 2019 the family moved.",
        "She was born in Syria. On 3 April 2019 the family arrived.",  # cue in another sentence
        "born in Syria; arrived 3 April 2019",
        "section 3.4.19",  # without a cue, could be a section number
        "6.2.1",
        "31/02/2019",  # not a real date
        "13/13/2019",
        "born on 31/02/2019",
        "the 24/7 service",
        "pp. 427-444",
        "2023/24",
        "ages 12-18",
    ],
)
def test_not_dates_of_birth(text: str) -> None:
    assert found(text) == []


def test_a_later_date_does_not_borrow_an_earlier_cue() -> None:
    text = "birthday April 3rd, 2019; her brother 12/05/2021"
    reasons = [f.reason for f in find_identifiers(text)]
    assert reasons == [CUED_REASON, SOFT_REASON]


# --- Street addresses ------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "12 Acacia Road",
        "4b Mill Lane",
        "221B Baker Street",
        "7 Mill Hill Road",
        "3 St Mary's Close",
        "Flat 3, 12 Acacia Road",
        "Flat 3, Acacia Court",
        "10 Downing St",
    ],
)
def test_addresses(address: str) -> None:
    assert found(f"They moved to {address} last year.") == [("address", address)]


@pytest.mark.parametrize(
    "text",
    [
        "Stage 4 Road map",
        "3 Case Studies",
        "Stage 4",
        "12 acacia road",  # the rule needs capitalised words
        "3 Family Court hearings",
        "after 2 Youth Court appearances",
        "the 5 Ways to Wellbeing",
        "4 Road",
    ],
)
def test_not_addresses(text: str) -> None:
    assert found(text) == []


# --- Names -----------------------------------------------------------------------------


def test_names_are_whole_words_ignoring_case() -> None:
    text = "Ann said the annual review with ANN and ann's sister went well. Annie came too."
    assert found(text, ("Ann",)) == [("name", "Ann"), ("name", "ANN"), ("name", "ann")]


def test_names_are_literal_text() -> None:
    assert found("axb and a.b", ("a.b",)) == [("name", "a.b")]
    assert found("aaa and a+", ("a+",)) == [("name", "a+")]
    assert found("text (with) [brackets] \\d", ("(", "[", "\\d", "*")) == [("name", "\\d")]


def test_names_with_apostrophes_hyphens_and_several_words() -> None:
    text = "O’Neil met Anne-Marie and Mary\r\nJane Smith; oneil is a different word."
    names = ("O'Neil", "anne-marie", "Mary Jane Smith")
    assert found(text, names) == [
        ("name", "O’Neil"),
        ("name", "Anne-Marie"),
        ("name", "Mary\r\nJane Smith"),
    ]


def test_blank_names_are_ignored() -> None:
    assert found("a b  c", ("", " ", "\t\n")) == []


def test_a_single_string_counts_as_one_name() -> None:
    assert found("Ann and Nina", "Ann") == [("name", "Ann")]  # type: ignore[arg-type]


def test_non_ascii_names() -> None:
    assert found("Zoë and ZOË met Łukasz", ("zoë", "łukasz")) == [
        ("name", "Zoë"),
        ("name", "ZOË"),
        ("name", "Łukasz"),
    ]


# --- The check reads what a reader sees ---------------------------------------------------

NBSP, ZWSP, SHY = "\u00a0", "\u200b", "\u00ad"


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        (f"I met Mrs{NBSP}Begum today.", "name", f"Mrs{NBSP}Begum"),
        (f"Call 07700{NBSP}900123 after six.", "phone", f"07700{NBSP}900123"),
        ("Call 07700\u2007900\u2009123 after six.", "phone", "07700\u2007900\u2009123"),
        ("Ring 0161\u2013496\u20130456 please.", "phone", "0161\u2013496\u20130456"),
        ("Her mobile is 07700.900.123.", "phone", "07700.900.123"),
        (f"Her number is 0117{ZWSP}496{ZWSP}0789.", "phone", f"0117{ZWSP}496{ZWSP}0789"),
        (f"NHS 943{ZWSP}476 5919 on file", "nhs-number", f"943{ZWSP}476 5919"),
        ("NHS 943.476.5919 on file", "nhs-number", "943.476.5919"),
        (f"NHS 943{SHY}476{SHY}5919 on file", "nhs-number", f"943{SHY}476{SHY}5919"),
        ("NHS ９４３ ４７６ ５９１９ on file", "nhs-number", "９４３ ４７６ ５９１９"),
        ("NHS 943\u2060 476\ufeff 5919 on file", "nhs-number", "943\u2060 476\ufeff 5919"),
        (f"NI: AB{ZWSP}123456C.", "ni-number", f"AB{ZWSP}123456C"),
        (f"They live near LS6{NBSP}2AB now.", "postcode", f"LS6{NBSP}2AB"),
        ("They live near M14\u202f5RP now.", "postcode", "M14\u202f5RP"),
        (f"Email amira{SHY}.k@example.com today.", "email", f"amira{SHY}.k@example.com"),
        (f"They moved to 12{NBSP}Acacia Road.", "address", f"12{NBSP}Acacia Road"),
        (f"DOB:{NBSP}03/04/2019 on the form.", "date-of-birth", "03/04/2019"),
        (f"born{NBSP}on{NBSP}3{NBSP}April 2019", "date-of-birth", f"3{NBSP}April 2019"),
        ("born\u20283 April 2019", "date-of-birth", "3 April 2019"),
        (f"born 1{ZWSP}2/03/2020", "date-of-birth", f"1{ZWSP}2/03/2020"),
    ],
)
def test_invisible_and_unusual_characters_do_not_hide_an_identifier(
    text: str, kind: str, expected: str
) -> None:
    assert found(text) == [(kind, expected)]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        (f"Be{ZWSP}gum came.", ("Begum",), f"Be{ZWSP}gum"),
        ("Zoe\u0308 came.", ("Zoë",), "Zoe\u0308"),  # a combining diaeresis
        ("Zoë came.", ("Zoe\u0308",), "Zoë"),
        ("ﬁona came.", ("Fiona",), "ﬁona"),  # a ligature
        ("STRAUSS came.", ("Strauß",), "STRAUSS"),
        (f"Nowak{SHY}owa came.", ("Nowakowa",), f"Nowak{SHY}owa"),
    ],
)
def test_listed_names_are_found_as_a_reader_sees_them(
    text: str, names: tuple[str, ...], expected: str
) -> None:
    assert found(text, names) == [("name", expected)]


IDENTIFIERS = [
    ("nhs-number", "943 476 5919"),
    ("phone", "07700 900123"),
    ("postcode", "LS6 2AB"),
    ("email", "jo.mum@example.org"),
    ("ni-number", "AB 12 34 56 C"),
    ("name", "Mrs Begum"),
]
HIDDEN = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e"]


@settings(max_examples=200, deadline=None)
@given(
    item=st.sampled_from(IDENTIFIERS),
    hidden=st.lists(st.tuples(st.integers(1, 11), st.sampled_from(HIDDEN)), max_size=4),
)
def test_invisible_characters_anywhere_inside_do_not_hide_an_identifier(
    item: tuple[str, str], hidden: list[tuple[int, str]]
) -> None:
    kind, plain = item
    text = plain
    for position, char in hidden:
        at = min(position, len(text) - 1)
        text = text[:at] + char + text[at:]
    assert found(f"Seen: {text}, today.") == [(kind, text)]


# --- Names: titles, full names and names on the user's list ------------------------------


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("Fatima Begum told me.", ("Begum",), ["Fatima Begum"]),
        ("I saw Begum Fatima there.", ("Begum",), ["Begum Fatima"]),
        ("I saw Fatima Noor Begum there.", ("Begum",), ["Fatima Noor Begum"]),
        ("Fatima Begum's son came.", ("Begum",), ["Fatima Begum"]),
        ("F. Begum signed it.", ("Begum",), ["F. Begum"]),
        ("Then Begum said no.", ("Begum",), ["Begum"]),
        ("mrs begum rang.", ("Begum",), ["mrs begum"]),
        ("MRS BEGUM rang.", ("Begum",), ["MRS BEGUM"]),
        (f"Mrs{NBSP}Begum rang.", ("Begum",), [f"Mrs{NBSP}Begum"]),
        ("tomasz nowak came.", ("Tomasz", "Nowak"), ["tomasz nowak"]),
        ("Dr Foster's guidance", ("Foster",), ["Dr Foster"]),
        ("MRS BEGUM rang.", (), ["MRS BEGUM"]),
        ("mrs Begum rang.", (), ["mrs Begum"]),
        ("The note said Mrs Fatima Begum twice.", (), ["Mrs Fatima Begum"]),
        ("Mr Łukasz Nowak came.", (), ["Mr Łukasz Nowak"]),
        ("Dr. Okafor, the GP, agreed.", (), ["Dr. Okafor"]),
        ("Mrs Begum and Mr Nowak came.", (), ["Mrs Begum", "Mr Nowak"]),
    ],
)
def test_full_names_and_titles(text: str, names: tuple[str, ...], expected: list[str]) -> None:
    assert found(text, names) == [("name", e) for e in expected]


@pytest.mark.parametrize(
    "text",
    [
        "Dr Foster's guidance on hospital data came up.",
        "Dr Barnardo's homes were part of that history.",
        "The children love the Mr Men books.",
        "Little Miss Sunshine was the book she chose.",
        "Mr Tumble helped him learn some Makaton signs.",
        "The family came from DR Congo via Uganda.",
        "We met on MS Teams because he was at work.",
        "We did not want the family to miss Eid.",
        "Her MS diagnosis meant a ground-floor flat.",
        "MR AND MRS came together.",
        "I asked the Dr at the walk-in centre.",
    ],
)
def test_titles_that_do_not_name_a_person(text: str) -> None:
    assert found(text) == []


# --- Overlaps, order and positions -----------------------------------------------------


def test_longer_finding_wins_over_a_name_inside_it() -> None:
    text = "Write to ann.smith@example.com or visit 12 Acacia Road."
    assert found(text, ("Ann", "Acacia")) == [
        ("email", "ann.smith@example.com"),
        ("address", "12 Acacia Road"),
    ]


def test_overlapping_names_keep_the_longer() -> None:
    assert found("anne marie smith", ("Anne Marie", "Marie Smith")) == [("name", "marie smith")]
    # Capitalised, the word next to either name joins it: the whole name is one finding.
    assert found("Anne Marie Smith", ("Anne Marie", "Marie Smith")) == [("name", "Anne Marie Smith")]


def test_same_span_keeps_the_more_specific_kind() -> None:
    # 012 345 6789 fits both the NHS and the phone rules.
    assert found("012 345 6789") == [("nhs-number", "012 345 6789")]
    assert found("012 345 6789", ("012 345 6789",)) == [("nhs-number", "012 345 6789")]


MIXED = (
    "Jo (DOB 03/04/2019, NHS 943 476 5919) lives at Flat 2, 14 Elm Grove, Leeds LS6 2AB.\r\n"
    "Mum 😀: 07700 900123, jo.mum@example.org, NI AB 12 34 56 C. \x00 Dad is Tomasz O'Neil."
)


def test_mixed_text_positions_and_order() -> None:
    findings = find_identifiers(MIXED, names=["jo", "Tomasz O'Neil"])
    assert [(f.kind, f.text) for f in findings] == [
        ("name", "Jo"),
        ("date-of-birth", "03/04/2019"),
        ("nhs-number", "943 476 5919"),
        ("address", "Flat 2, 14 Elm Grove"),
        ("postcode", "LS6 2AB"),
        ("phone", "07700 900123"),
        ("email", "jo.mum@example.org"),
        ("ni-number", "AB 12 34 56 C"),
        ("name", "Tomasz O'Neil"),
    ]
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    for f in findings:
        assert MIXED[f.start : f.end] == f.text


@pytest.mark.parametrize(
    "text",
    [
        "Stage 4 of the workbook",
        "see section 6.2.1",
        "a grant of £1,234.56",
        "45% of families; 12.5 per cent",
        "Journal of Social Work, 50(2), pp. 427-444",
        "https://doi.org/10.1093/bjsw/bcaa205",
        "10.1093/bjsw/bcaa205",
        "Children Act 1989, section 17",
        "ring 999 or NHS 111",
        "ISBN 978-1-4462-9681-3",
        "",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert found(text) == []


def test_every_finding_has_a_known_kind_and_a_one_sentence_reason() -> None:
    findings = find_identifiers(MIXED, names=["Tomasz"])
    assert {f.kind for f in findings} == set(KINDS)
    for f in findings:
        assert f.reason.endswith(".") and f.reason.count(". ") == 0, f.reason


def test_findings_are_frozen() -> None:
    finding = find_identifiers("DN55 1PT")[0]
    with pytest.raises(AttributeError):
        finding.text = "x"  # type: ignore[misc]


def test_limitations_are_plain() -> None:
    for phrase in ("cannot catch everything", "nicknames", "combination", "responsible"):
        assert phrase in LIMITATIONS


# --- Any input, safely -----------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "943 476 5919", "AB 12 34 56 C", "SW1A 1AA", "07700 900123", "+44 ", "(0)", "(020) ",
        "a@b.co", "born ", "DOB ", "3 April 2019", "03/04/2019", "12 Acacia Road", "Flat 3, ",
        "Ann", "O'Neil", " ", "\r\n", "\x00", "😀", "ſep", "İ", "K", "-", ".", "/", "0", "1",
        "Mrs ", "mrs ", "MRS ", "Begum", "BEGUM", "Fatima ", "F. ", "Dr Foster", "the ",
        "\u00a0", "\u200b", "\u00ad", "\u2028", "\u0301", "e\u0301", "ﬁ", "ß", "ẞ", "９", "½",
        "\u2013", "\ufeff", "\U000e0041", "\ud800",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(FRAGMENTS | st.text(max_size=20), max_size=30).map("".join),
    names=st.lists(FRAGMENTS | st.text(max_size=12), max_size=5),
)
def test_any_text_and_names_give_consistent_findings(text: str, names: list[str]) -> None:
    findings = find_identifiers(text, names=names)
    previous_end = 0
    for f in findings:
        assert isinstance(f, Finding)
        assert f.kind in KINDS
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.start >= previous_end  # sorted, and no overlaps left
        previous_end = f.end


ADVERSARIAL = {
    "zeros": "0" * 100_000,
    "digits and spaces": "1 " * 50_000,
    "phone-like groups": "07700 " * 16_000,
    "brackets": "(0" * 50_000,
    "plus signs": "+44 " * 25_000,
    "letters": "a" * 99_999 + "@",
    "email-like": "a." * 50_000 + "@",
    "domain-like": "a@" + "b." * 49_000,
    "capitalised words": "12 " + "Aa " * 33_000,
    "flats": "Flat 1, " * 12_000,
    "dates": "1/1/" * 25_000,
    "cues": "born 1/1/2000 " * 7_000,
    "months": "April 1 " * 12_000,
    "spaces": "3" + " " * 100_000,
    "nul": "\x00" * 100_000,
    "emoji": "😀 12 Acacia Road " * 5_000,
    "mixed": MIXED * 600,
    "no-break spaces": "07700\u00a0" * 16_000,
    "zero-width": "9\u200b" * 50_000,
    "combining marks": "a" + "\u0301" * 100_000,
    "accented words": "Zoë Begum " * 10_000,
    "titles": "Mrs Begum Fatima " * 6_000,
    "lower-case titles": "mrs begum " * 10_000,
    "ligatures": "ﬁ" * 100_000,
    "sharp s": "ß" * 100_000,
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_long_and_adversarial_input_finishes_quickly(text: str) -> None:
    names = ["Ann", "Anne Marie", "a.b", "O'Neil", "Aa Aa", "Begum", "Zoë", "ss"]
    started = time.perf_counter()
    find_identifiers(text, names=names)
    assert time.perf_counter() - started < 2.0


def test_import_does_not_bring_in_heavy_libraries() -> None:
    code = (
        "import sys, reflectkit.privacy; "
        "print(sorted(m for m in ('pydantic', 'typer', 'rich') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- The shipped workbook content ------------------------------------------------------


def content_strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(key path, text) for every string, skipping bibliographic references."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in BIBLIOGRAPHIC_KEYS:
                yield from content_strings(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from content_strings(value, f"{path}[{i}]")


def test_content_strings_skips_references() -> None:
    doc = {
        "title": "T",
        "sources": [{"citation": "C", "url": "U", "doi": "D", "title": "S", "year": 2020}],
        "questions": [{"statements": [{"text": "X"}]}],
    }
    assert list(content_strings(doc)) == [
        ("title", "T"),
        ("sources[0].title", "S"),
        ("questions[0].statements[0].text", "X"),
    ]


CONTENT_FILES = sorted(DATA.rglob("*.toml"))


@pytest.mark.parametrize("path", CONTENT_FILES, ids=[str(p.relative_to(DATA)) for p in CONTENT_FILES])
def test_shipped_content_has_no_findings(path: Path) -> None:
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    problems = [
        f"{path.relative_to(DATA)}: {key}: {f.kind} {f.text!r} ({f.reason})"
        for key, value in content_strings(doc)
        for f in find_identifiers(value)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I met Mrs Begum at the school.", "Mrs Begum"),
        ("Ms. Okafor said she was worried.", "Ms. Okafor"),
        ("Dr Evans, the GP, agreed.", "Dr Evans"),
        ("the mrs came to the door", None),
        ("MRSA screening was done", None),
        ("Mr and Mrs came together", None),
    ],
)
def test_a_title_before_a_name_is_flagged(text: str, found: str | None) -> None:
    names = [f.text for f in find_identifiers(text) if f.kind == "name"]
    assert names == ([found] if found else [])


_TITLE_TEXT = st.text(
    alphabet=st.sampled_from([*"MmDdPpRrSsIiXxOoFf. \t_é1", "\u0130", "\u0131", "\u017f", "\u212a"]),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(text=_TITLE_TEXT)
@example(text="See Mıss Eid and MİSS EID, mſ Begum, pRoF. Okafor")
@example(text="x.Mr Smith _Mr Smith 1Dr X éMrs Y")
def test_the_quick_title_scan_finds_what_the_title_pattern_finds(text: str) -> None:
    from reflectkit import privacy_text

    slow = [m.span() for m in privacy_text._TITLE.finditer(text)]
    assert [m.span() for m in privacy_text._titles(text)] == slow
