import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveybrief.clean.privacy import Scrubber, is_pii_header, pseudonym, pseudonyms


@pytest.mark.parametrize(
    "header",
    [
        "Email Address",
        "E-mail",
        "Name",
        "Full name",
        "Phone number",
        "IPAddress",
        "Respondent name",
        "LocationLatitude",
    ],
)
def test_personal_data_headers_are_recognised(header):
    assert is_pii_header(header)


@pytest.mark.parametrize(
    "header",
    ["Timestamp", "Which factors slow integration?", "Q5", "Field of expertise", "nameless"],
)
def test_other_headers_are_not(header):
    assert not is_pii_header(header)


@given(st.lists(st.one_of(st.none(), st.text(max_size=30))), st.text(max_size=10))
def test_many_pseudonyms_at_once_are_the_single_ones(ids, salt):
    expected = [None if i is None or not i.strip() else pseudonym(salt, i) for i in ids]
    assert pseudonyms(salt, ids) == expected


def test_pseudonyms_are_stable_salted_and_hide_the_id():
    assert pseudonym("2026-06", "a@b.org") == pseudonym("2026-06", " a@b.org ")
    assert pseudonym("2026-06", "a@b.org") != pseudonym("2027-06", "a@b.org")
    assert "a@b" not in pseudonym("2026-06", "a@b.org")


def test_scrubber_removes_contacts_and_roster_names_but_keeps_numbers_and_years():
    scrub = Scrubber(["Aigerim Bekova", "Timur Sadykov"])
    text = (
        "Ask Aigerim Bekova (+7 701 234 5678, a.b@example.org, https://x.org/cv), "
        "or BEKOVA, or Sadykov Timur. 2025-2035: 50% by 2030; Қазақстан 🙂."
    )
    assert scrub(text) == (
        "Ask [name] ([phone], [email], [url]), or [name], or [name]. "
        "2025-2035: 50% by 2030; Қазақстан 🙂."
    )
