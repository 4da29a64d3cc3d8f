"""What the consensus notebook (05_consensus) calls: where the panel agrees, computed once.

``open_consensus`` loads the wave (and the earlier ones, for stability across rounds), computes
each declared statement's consensus and stability (``analysis.consensus``) and publishes them
(``consensus``, ``stability``: the catalogue and their CSV exports). ``show`` displays the
chapter "Where the panel agrees", which leads the report: the rules as declared, which
statements reached them, how firmly, and how the answers held since the last round.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from surveybrief import catalogue
from surveybrief.analysis.consensus import consensus_table, stability_table
from surveybrief.analysis.profile import MIN_CELL
from surveybrief.brief import present
from surveybrief.brief.display import parse_langs, show_html
from surveybrief.brief.i18n import _, current, fmt_pct
from surveybrief.brief.narrative import fmt_p, fmt_scale
from surveybrief.brief.trend_chapter import load_series
from surveybrief.clean.processed import CleanedWave
from surveybrief.config import resolve_wave, wave_output_dir

#: The tables this step writes.
CONSENSUS, STABILITY = "consensus", "stability"


def rule_text(row: pd.Series) -> str:
    """Return a statement's declared rule for readers: "at least 75% on 4–5; IQR at most 1"."""
    rules = []
    if pd.notna(row["rule_share"]):
        share = float(row["rule_share"])
        rules.append(
            _("at least {share} on {points}").format(
                share=fmt_pct(share, 0 if share.is_integer() else 1), points=_points(row["points"])
            )
        )
    if pd.notna(row["rule_iqr"]):
        rules.append(_("IQR at most {iqr}").format(iqr=fmt_scale(row["rule_iqr"])))
    return "; ".join(rules)


def _points(points: str) -> str:
    """Return the agreeing scale points: "4–5", or "1, 3" when not one run."""
    codes = [int(p) for p in str(points).split(",")]
    if len(codes) > 1 and codes == list(range(codes[0], codes[-1] + 1)):
        return f"{codes[0]}–{codes[-1]}"
    return ", ".join(str(c) for c in codes)


def verdict(row: pd.Series) -> str:
    """Return whether a statement reached consensus, and how firmly.

    "Narrowly": the share's 95% interval reaches below the rule (said in the summary).
    """
    if not row["is_assessed"]:
        return _("not judged: fewer than {minimum} answers").format(minimum=MIN_CELL)
    if not row["is_reached"]:
        return _("not reached")
    if narrow(row["clears_interval"]):
        return _("reached, narrowly")
    return _("reached")


def _share(pct: float, low: float, high: float, count: int, base: int) -> str:
    """Return a share for a table: "85.7% (67–95), 24 of 28" (a decimal: set beside a rule)."""
    return _("{pct} ({low}–{high}), {count} of {base}").format(
        pct=fmt_pct(pct, 1), low=f"{low:.0f}", high=f"{high:.0f}", count=int(count), base=int(base)
    )


def narrow(clears) -> bool:
    """Return whether a share rule held only on the panel, not at its interval's lower end."""
    return clears is not None and not pd.isna(clears) and not bool(clears)


@dataclass
class ConsensusRun:
    """What 05_consensus calls: write the consensus tables, display the chapter."""

    data: CleanedWave
    table: pd.DataFrame
    stability: pd.DataFrame
    output_dir: Path
    langs: tuple[str, ...] = ("en",)

    def write_tables(self) -> list[Path]:
        """Publish the consensus of every declared statement, and its stability if linked."""
        written = catalogue.publish(self.output_dir, CONSENSUS, self.table)
        if not self.stability.empty:
            written += catalogue.publish(self.output_dir, STABILITY, self.stability)
        return written

    def _title(self, qid: str) -> str:
        return self.data.codebook.question(qid).title(current())

    def summary(self) -> list[str]:
        """Return how many statements reached consensus, and which only narrowly."""
        t = self.table
        if t.empty:
            return [_("No statement that declares a consensus rule was answered in this wave.")]
        said = [
            _(
                "By the rules the questionnaire declared before the answers, the panel agrees on "
                "{reached} of {total} statements."
            ).format(reached=int(t["is_reached"].astype(bool).sum()), total=len(t))
        ]
        narrowly = t[t["is_reached"].astype(bool) & t["clears_interval"].map(narrow)]
        if not narrowly.empty:
            said.append(
                _(
                    "On {titles}, the agreement rests on a few experts: the share agreeing meets "
                    "the rule, but its 95% interval reaches below it."
                ).format(titles=", ".join(f"“{self._title(q)}”" for q in narrowly["question_id"]))
            )
        return said

    def consensus_frame(self) -> pd.DataFrame:
        """Return the consensus of each statement as shown to readers."""
        t = self.table
        return pd.DataFrame(
            {
                _("Statement"): [self._title(q) for q in t["question_id"]],
                _("Rule (declared in advance)"): [rule_text(r) for _i, r in t.iterrows()],
                _("Agreeing, % (95% CI)"): [
                    _share(r["agree_pct"], r["ci_low"], r["ci_high"], r["agree_count"], r["base"])
                    for _i, r in t.iterrows()
                ],
                _("Median (IQR)"): [
                    f"{fmt_scale(r['median'])} ({fmt_scale(r['q1'])}–{fmt_scale(r['q3'])})"
                    for _i, r in t.iterrows()
                ],
                _("Consensus"): [verdict(r) for _i, r in t.iterrows()],
            }
        )

    def stability_sentences(self) -> list[str]:
        """Return how the answers held since the last round, for the linked experts."""
        s = self.stability
        if s.empty:
            return []
        return [
            _(
                "Since {start}, the experts who answered both waves are compared with their own "
                "earlier answers: the share giving the same point again, the change of the "
                "interquartile range, and the Wilcoxon signed-rank test of their paired answers, "
                "Holm-adjusted over the statements (no test counts as agreement: stable answers "
                "can still disagree)."
            ).format(start=self._since())
        ]

    def _since(self) -> str:
        """Return the earlier wave(s) the stability compares with (one per statement)."""
        return ", ".join(sorted(set(self.stability["wave_from"].astype(str))))

    def stability_frame(self) -> pd.DataFrame:
        """Return each statement's stability as shown to readers."""
        s = self.stability
        return pd.DataFrame(
            {
                _("Statement"): [self._title(q) for q in s["question_id"]],
                _("Experts in both"): s["n_paired"].astype(int),
                _("Same point again, % (95% CI)"): [
                    _share(
                        r["unchanged_pct"], r["ci_low"], r["ci_high"], r["unchanged"], r["n_paired"]
                    )
                    for _i, r in s.iterrows()
                ],
                _("IQR then → now"): [
                    f"{fmt_scale(r['iqr_from'])} → {fmt_scale(r['iqr_to'])}"
                    for _i, r in s.iterrows()
                ],
                _("Wilcoxon, Holm-adjusted"): [fmt_p(p) for p in s["p_holm"]],
            }
        )

    def title_html(self) -> str:
        """Return the chapter heading and the lead: what consensus means in this survey."""
        wave = self.data.wave
        lead = _(
            "Consensus was defined for each statement before the answers were collected, in "
            "the questionnaire: the scale points that count as agreeing, and the share of the "
            "panel that must choose them or the spread (interquartile range, IQR) it must not "
            "exceed. It is read on the panel as it answered; the 95% interval shows how far it "
            "rests on a few experts."
        )
        if wave.delphi:
            lead = _("Round {round} of a Delphi survey.").format(round=wave.round) + " " + lead
        heading = escape(_("Where the panel agrees"))
        return f'<h1 class="chapter">{heading}</h1><p class="lead">{escape(lead)}</p>'

    def body_html(self) -> str:
        """Return the summary, the consensus table and, across rounds, the stability table."""
        parts = [present.paragraph(self.summary())]
        caption = _("Consensus by statement, by the rules declared in advance")
        parts.append(present.frame_html(self.consensus_frame(), "audit consensus", caption))
        if not self.stability.empty:
            parts.append(present.paragraph(self.stability_sentences()))
            caption = _("How the answers held since {start}").format(start=self._since())
            parts.append(present.frame_html(self.stability_frame(), "audit stability", caption))
        return f'<section class="question consensus">{"".join(parts)}</section>'

    def show(self) -> None:
        """Display the chapter (in a notebook)."""
        show_html(self.langs, lambda: [self.title_html(), self.body_html()])


def open_consensus(
    wave: str = "latest",
    data_root: str | Path = "../data",
    outputs_root: str | Path = "../outputs",
    langs: str = "en",
) -> ConsensusRun:
    """Compute where the panel agrees (and how it held since the last round); write it."""
    data_root = Path(data_root)
    wave_id = resolve_wave(data_root, wave)
    output_dir = wave_output_dir(Path(outputs_root), wave_id)
    current_wave, earlier = load_series(data_root, output_dir, wave_id)
    run = ConsensusRun(
        data=current_wave,
        table=consensus_table(current_wave),
        stability=stability_table(current_wave, earlier),
        output_dir=output_dir,
        langs=parse_langs(langs),
    )
    run.write_tables()
    return run
