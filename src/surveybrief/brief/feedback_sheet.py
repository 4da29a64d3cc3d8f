"""A Delphi round's feedback for one panel member: the group's answers beside their own.

In a Delphi survey each expert sees, before the next round, how the panel answered each rating
statement and what they answered themselves, and may keep or change their answer. This formats
that sheet (a self-contained HTML page in the round's language) and the member's row of the
mail-merge table; ``run.feedback`` computes the distributions once and writes the sheets into
a private folder, never into the briefing or ``outputs/``. Only whole-panel figures and the
member's own answers appear: nobody else's answer.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from surveybrief.analysis.profile import MIN_CELL
from surveybrief.brief.i18n import _, current, fmt_pct
from surveybrief.inputs.questionnaire import Codebook, Question

STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #1b1f24; line-height: 1.45; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; table-layout: fixed; }
th.num { text-align: right; } th:first-child { width: 60%; }
.synthetic { background: #fff4cc; border-left: 4px solid #b8860b; padding: .3rem .6rem; }
th, td { border-bottom: 1px solid #c9ced6; padding: .3rem .5rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.own { background: #fff4cc; font-weight: bold; }
.note { color: #4a5260; font-size: .9rem; }
"""


def distribution(responses: pd.DataFrame, q: Question) -> pd.DataFrame:
    """Return how many of the panel chose each scale point of ``q`` (codebook order)."""
    values = pd.to_numeric(responses[q.id], errors="coerce").dropna().astype(int).astype(str)
    counts = values.value_counts().reindex(q.codes, fill_value=0)
    base = int(counts.sum())
    return pd.DataFrame(
        {
            "point": q.codes,
            "count": counts.to_numpy(),
            "base": base,
            "pct": (100 * counts / base).to_numpy() if base else 0.0,
        }
    )


def _own_text(q: Question, own) -> str:
    if own is None or pd.isna(own):
        return _("You did not answer this statement in this round.")
    return _("Your answer: {point} ({label}).").format(
        point=int(own), label=q.option_label(str(int(own)), current())
    )


def statement_html(q: Question, shares: pd.DataFrame, own, consensus: str) -> str:
    """Return one statement: its wording, the panel's answers by point, the member's own.

    Fewer than ``MIN_CELL`` answers are not shown: each of those few could work out the rest.
    """
    base = int(shares["base"].iloc[0])
    if base < MIN_CELL:
        few = _(
            "Fewer than {minimum} experts answered this statement: the panel's answers are not "
            "shown, so that no one's can be worked out."
        ).format(minimum=MIN_CELL)
        return (
            f"<section><h2>{escape(q.wording(current()))}</h2><p>{escape(few)}</p>"
            f"<p>{escape(_own_text(q, own))}</p></section>"
        )
    rows, you = [], escape(_("you"))
    for r in shares.itertuples():
        mine = own is not None and not pd.isna(own) and str(int(own)) == r.point
        marker = f" ← {you}" if mine else ""
        rows.append(
            f"<tr{' class=own' if mine else ''}><td>{escape(r.point)} · "
            f"{escape(q.option_label(r.point, current()))}{marker}</td>"
            f'<td class="num">{escape(fmt_pct(r.pct))}</td><td class="num">{r.count}</td></tr>'
        )
    names = (_("Answer"), _("% of panel"), _("Experts"))
    cells = [f'<th scope="col"{" class=num" if i else ""}>{escape(n)}</th>'
             for i, n in enumerate(names)]  # fmt: skip
    head = "<tr>" + "".join(cells) + "</tr>"
    caption = _("The panel's answers (n = {n})").format(n=base)
    return (
        f"<section><h2>{escape(q.wording(current()))}</h2>"
        f"<table><caption>{escape(caption)}</caption><thead>{head}</thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p>{escape(_own_text(q, own))}</p>"
        + (f'<p class="note">{escape(consensus)}</p>' if consensus else "")
        + "</section>"
    )


def sheet_html(
    codebook: Codebook, wave, member: str, parts: list[str], lang: str, title: str
) -> str:
    """Return the whole feedback page of one member (``parts``: their statements' HTML)."""
    intro = _(
        "Round {round} is closed. Below, for each statement, how the panel answered and your "
        "own answer. In the next round, if there is one, you may keep your answer or change "
        "it; the panel's answers are shown without anyone's name."
    ).format(round=wave.round)
    warning = _("SYNTHETIC data generated for testing: these numbers describe nothing real.")
    synthetic = f'<p class="synthetic">{escape(warning)}</p>' if wave.is_synthetic else ""
    confidential = _(
        "Prepared for one panel member (reference {member}); please do not forward."
    ).format(member=member)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>{escape(title)}</h1>{synthetic}<p>{escape(intro)}</p>{''.join(parts)}"
        f'<p class="note">{escape(confidential)}</p></main></body></html>'
    )


def sheet_title(codebook: Codebook, wave) -> str:
    """Return a feedback sheet's title: the survey and the round it reports."""
    return _("{survey}: the panel's answers in round {round}").format(
        survey=codebook.title(current()), round=wave.round
    )
