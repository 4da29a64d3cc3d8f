"""Kazakh endings after numbers agree with the number as read aloud."""

import pytest

from surveybrief.brief.kazakh import harmonise


@pytest.mark.parametrize(
    ("written", "agreed"),
    [
        ("42-ден 69-ге дейін", "42-ден 69-ға дейін"),  # екіден, тоғызға
        ("3-ден 5-ге", "3-тен 5-ке"),  # үштен, беске
        ("10-ден 40-ге", "10-нан 40-қа"),  # оннан, қырыққа
        ("20-ден 30-ге", "20-дан 30-ға"),  # жиырмадан, отызға
        ("50-ден 60-ге", "50-ден 60-қа"),  # елуден, алпысқа
        ("70-ден 80-ге", "70-тен 80-ге"),  # жетпістен, сексенге
        ("90-ден 100-ге", "90-нан 100-ге"),  # тоқсаннан, жүзге
        ("1000-ден 0-ге", "1000-нан 0-ге"),  # мыңнан, нөлге
        ("6-ден 7-ге 8-ден 1-ге", "6-дан 7-ге 8-ден 1-ге"),  # алтыдан, жетіге, сегізден, бірге
        ("0%-ден 56%-ге", "0%-дан 56%-ға"),  # пайыздан, пайызға
        ("2,5-ден", "2,5-тен"),  # екі бүтін оннан бес
        ("−12-ден +4-ге", "−12-ден +4-ке"),
    ],
)
def test_each_number_takes_the_ending_its_last_word_asks_for(written, agreed):
    assert harmonise(written) == agreed


def test_words_and_markup_are_left_alone():
    text = '<rect width="50" height="12"/> п. т.-ға дейін 42-ден-ақ, 2025 жылы'
    assert harmonise(text) == text
    assert harmonise("12-денгей") == "12-денгей"  # a longer word is not an ending
