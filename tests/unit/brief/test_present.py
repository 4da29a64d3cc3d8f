import pandas as pd
from bs4 import BeautifulSoup

from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.brief.present import table_html
from surveybrief.inputs.codebook import Option, Question

Q = Question(
    "q",
    "single",
    "s",
    {"en": "Q"},
    {"en": "W"},
    (Option("a", {"en": "<b>A</b> & co"}), Option("b", {"en": "B"})),
)


def test_small_bases_are_flagged_and_labels_escaped():
    responses = pd.DataFrame({"q": pd.array(["a"] * 7 + ["b"] * 3, "string")})
    html = table_html(tabulate_question(responses, Q), "caption <i>")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("b") is None and soup.find("i") is None  # text stays text
    assert "<b>A</b> & co" in soup.get_text()
    assert [td.get_text() for td in soup.select("tbody tr")[0].find_all("td")] == [
        "7",
        "10†",
        "70.0",
        "40–89",
    ]
    assert "base under 30" in soup.select_one(".table-note").get_text()
