import datetime as dt
import re

import pandas as pd
import pytest
from babel.messages.pofile import read_po

from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.brief.i18n import (
    LOCALES,
    catalog_path,
    check_languages,
    fmt_date_range,
    fmt_decimal,
    fmt_pct,
    language,
    missing_messages,
)
from surveybrief.brief.narrative import describe, n_respondents
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Option, Question

COUNTS = [1, 2, 5, 11, 21, 22, 25, 101, 111]


def test_russian_plural_forms_follow_cldr():
    with language("ru"):
        got = [n_respondents(n) for n in COUNTS]
    assert got == [
        "1 респондент", "2 респондента", "5 респондентов", "11 респондентов", "21 респондент",
        "22 респондента", "25 респондентов", "101 респондент", "111 респондентов",
    ]  # fmt: skip


def test_kazakh_nouns_stay_singular_after_numbers():
    with language("kk"):
        assert [n_respondents(n) for n in COUNTS] == [f"{n} респондент" for n in COUNTS]


def test_numbers_percentages_and_dates_follow_the_locale():
    june = (dt.date(2025, 6, 9), dt.date(2025, 6, 16))
    expected = {
        "en": ("56%", "3.2", "9–16 June 2025"),
        "ru": ("56\u00a0%", "3,2", "9–16 июня 2025\u202fг."),
        "kk": ("56%", "3,2", "2025\u202fж. 9–16 маусым"),
    }
    for lang, (pct, number, dates) in expected.items():
        with language(lang):
            assert (fmt_pct(56.3), fmt_decimal(3.24, 1), fmt_date_range(*june)) == (
                pct,
                number,
                dates,
            )


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_catalogs_translate_every_message_with_its_placeholders(lang):
    assert missing_messages(lang) == []
    with open(catalog_path(lang), "rb") as handle:
        catalog = read_po(handle, locale=LOCALES[lang])
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set(re.findall(r"\{(\w+)\}", ids[-1]))
        for text in strings:
            assert set(re.findall(r"\{(\w+)\}", text)) == wanted, (message.id, text)


def test_a_language_without_its_catalog_is_refused(monkeypatch, tmp_path):
    import surveybrief.brief.i18n as i18n

    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    with pytest.raises(InputError, match="have no ru translation"):
        check_languages(["ru"])
    with pytest.raises(InputError, match="unknown language"):
        check_languages(["fr"])


def test_a_narrative_in_russian_reads_as_russian():
    question = Question(
        "q", "single", "s", {"en": "Q", "ru": "В"}, {"en": "W"},
        (Option("a", {"en": "A", "ru": "Первый"}), Option("b", {"en": "B", "ru": "Второй"})),
    )  # fmt: skip
    responses = pd.DataFrame({"q": pd.array(["a"] * 21 + ["b"] * 4, "string")})
    with language("ru"):
        result = tabulate_question(responses, question, "ru")
        text = " ".join(describe(result))
    assert text.startswith("Из 25 экспертов, ответивших на вопрос, 84\u00a0% (21 из 25; 95\u00a0% ")
    assert "База мала (n = 25, меньше 30)" in text
    assert not re.findall(r"\b[A-Za-z]{2,}\b", text)  # no English word left


def test_no_message_hides_inside_an_f_string():
    """The extractor does not look inside f-strings: a _() there would stay English."""
    import ast

    from surveybrief.config import PACKAGE_DIR

    hidden = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    is_call = isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                    if is_call and inner.func.id in ("_", "ngettext", "N_"):
                        hidden.append(f"{path.name}:{inner.lineno}")
    assert hidden == []
