import pandas as pd

from surveybrief.analysis.quotes import quote_language, select_quotes, shorten
from surveybrief.analysis.themes import code_themes, open_answers
from surveybrief.config import DATA_DIR
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import QuotePolicy

CODEBOOK = load_codebook(DATA_DIR, 1)
TARGET = CODEBOOK.open_target("comments")


def responses(texts, fields):
    n = len(texts)
    return pd.DataFrame(
        {
            "respondent_id": pd.array([f"P{i:02d}" for i in range(n)], "string"),
            "comments": pd.array(texts, "string"),
            "expert_field": pd.array(fields, "string"),
        }
    )


def quotes_of(frame, policy):
    coding = code_themes(TARGET, open_answers(frame, TARGET), None)
    return select_quotes(coding, frame, CODEBOOK, policy)


def test_a_long_answer_is_cut_at_a_sentence_end():
    text = "Water matters most. " + "Energy grids need money and patience across borders. " * 6
    short = shorten(text, 80)
    assert short == "Water matters most. Energy grids need money and patience across borders. …"
    assert shorten("word " * 50, 40).endswith(" …") and len(shorten("word " * 50, 40)) <= 42
    assert shorten("Short.", 80) == "Short."


def test_the_language_is_read_from_the_letters():
    assert quote_language("Су тапшылығы") == "kk"
    assert quote_language("Водные ресурсы") == "ru"
    assert quote_language("Water") == "en"


def test_no_quotes_unless_the_wave_allows_them():
    frame = responses(["Water first."] * 3, ["economics"] * 3)
    assert quotes_of(frame, QuotePolicy()).empty
    assert len(quotes_of(frame, QuotePolicy(allowed=True, per_theme=2))) == 2


def test_only_consenting_respondents_are_quoted_and_each_once():
    frame = responses(["Water and transport."] * 4, ["economics", "politics", None, "economics"])
    policy = QuotePolicy(allowed=True, consent_question="expert_field", consent_code="economics")
    quotes = quotes_of(frame, policy)
    assert len(quotes) == 2  # two consent; each quoted once though both themes match


def test_attribution_only_where_the_group_and_its_theme_cell_reach_five():
    texts = ["Water is the issue."] * 6 + ["Water again."] + ["Trade."] * 11
    fields = ["economics"] * 6 + ["politics"] * 6 + ["education"] * 6
    quotes = quotes_of(responses(texts, fields), QuotePolicy(allowed=True, per_theme=5))
    water = quotes[quotes["theme"] == "water_energy"]
    assert len(water) == 5
    if "Water again." in set(water["quote"]):  # politics' single water comment: a cell of 1
        assert set(water["attribution"]) == {"an expert"}
    else:
        assert set(water["attribution"]) == {"an expert in economics"}
    for _, rows in quotes.groupby("theme"):  # each theme names every group or none
        assert rows["group"].fillna("").eq("").all() or rows["group"].fillna("").ne("").all()


def test_quotes_never_name_a_group_by_elimination():
    """6 economists (5 mention water), 6 politics experts (1): all named, or none."""
    texts = ["Water is the issue."] * 5 + ["Trade."] + ["Water again."] + ["Trade."] * 5
    fields = ["economics"] * 6 + ["politics"] * 6
    quotes = quotes_of(responses(texts, fields), QuotePolicy(allowed=True, per_theme=6))
    water = quotes[quotes["theme"] == "water_energy"]
    assert len(water) == 6 and set(water["attribution"]) == {"an expert"}
    for _, rows in quotes.groupby("theme"):
        assert rows["group"].fillna("").eq("").all() or rows["group"].fillna("").ne("").all()
    small = quotes_of(responses(texts[:8], fields[:6] + ["politics"] * 2), QuotePolicy(True))
    assert set(small["attribution"]) == {"an expert"}  # politics (2) hidden, so economics too


def test_quotes_are_scrubbed_again():
    text = "Water: call +7 (701) 555-12-34 or mail a.b@mail.kz, IIN 850101300123, see http://x.kz/a"
    quote = quotes_of(responses([text], ["economics"]), QuotePolicy(allowed=True))["quote"][0]
    assert quote == "Water: call [phone] or mail [email], IIN [id], see [url]"
