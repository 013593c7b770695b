"""Likely duplicates on a roster (domain.duplicates, issue 8): same email, same name at the
same organisation, same name written differently — strongest reason first, linear in size."""

from __future__ import annotations

from chapterdesk.domain.duplicates import (
    COMMON_NAME,
    DuplicatePair,
    PersonKey,
    Reason,
    find_duplicates,
    name_key,
)


def test_same_email_whatever_the_case_and_spaces() -> None:
    pairs = find_duplicates(
        [
            PersonKey("a", "Ann", "Lee", "city", "Ann.Lee@City.example "),
            PersonKey("b", "Annie", "Lee-Smith", "other", "ann.lee@city.example"),
        ]
    )
    assert pairs == [DuplicatePair("a", "b", Reason.SAME_EMAIL)]


def test_same_name_at_the_same_organisation_beats_a_name_elsewhere() -> None:
    pairs = find_duplicates(
        [
            PersonKey("1", "Cléo", "Dubé", "fab"),
            PersonKey("2", "cleo", "DUBE", "fab"),
            PersonKey("3", "Cleo", "Dube", "city"),
        ]
    )
    assert pairs == [
        DuplicatePair("1", "2", Reason.SAME_NAME_SAME_ORGANISATION),
        DuplicatePair("1", "3", Reason.SAME_NAME),
        DuplicatePair("2", "3", Reason.SAME_NAME),
    ]


def test_accents_case_and_punctuation_do_not_hide_a_duplicate() -> None:
    assert name_key("Anne-Marie", "  Dubé ") == name_key("anne marie", "DUBE") == "anne marie dube"
    assert name_key("Łukasz", "Żółć") == name_key("lukasz", "zolc")


def test_a_pair_is_reported_once_with_its_strongest_reason() -> None:
    pairs = find_duplicates(
        [
            PersonKey("x", "Bo", "Roy", "city", "bo@city.example"),
            PersonKey("y", "Bo", "Roy", "city", "bo@city.example"),
        ]
    )
    assert pairs == [DuplicatePair("x", "y", Reason.SAME_EMAIL)]


def test_a_very_common_name_across_companies_is_not_reported_but_within_one_it_is() -> None:
    people = [PersonKey(f"p{i}", "John", "Smith", f"org{i}") for i in range(COMMON_NAME + 1)]
    people.append(PersonKey("dup", "John", "Smith", "org0"))
    assert find_duplicates(people) == [
        DuplicatePair("dup", "p0", Reason.SAME_NAME_SAME_ORGANISATION)
    ]


def test_no_one_is_their_own_duplicate_and_blank_fields_match_nothing() -> None:
    assert find_duplicates([PersonKey("a", "Ann", "Lee", "c", "a@x.example")]) == []
    assert find_duplicates([PersonKey("a", "", "", "c"), PersonKey("b", "", "", "c")]) == []


def test_a_large_roster_is_handled_in_one_pass() -> None:
    """100,000 distinct people and 100 planted duplicates: exactly those are found (the
    speed is measured in benchmarks/people.py, not here)."""
    people = [
        PersonKey(f"p{i}", f"First{i}", f"Last{i}", f"org{i % 5000}", f"p{i}@x.example")
        for i in range(100_000)
    ]
    people += [
        PersonKey(f"d{i}", f"first{i}", f"LAST{i}", f"org{i % 5000}", "") for i in range(100)
    ]
    pairs = find_duplicates(people)
    assert len(pairs) == 100
    assert all(p.reason is Reason.SAME_NAME_SAME_ORGANISATION for p in pairs)
