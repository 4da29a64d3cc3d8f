"""What an analyst sees of a table, a cross-tab or a comparison: rich in JupyterLab, a frame below.

Each view shows itself as the briefing's HTML table (bases, intervals, hidden cells marked
"s"), keeps its numbers as a data frame (``.frame``) and draws its chart with seaborn in the
briefing's style (``.chart()``): bars with 95% Wilson intervals, a heat map of the cross-tab
with hidden cells marked, shares over the two waves. A reconstructed wave says so in every
caption.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

import pandas as pd
from matplotlib.figure import Figure

from surveybrief.analysis.breakdowns import Breakdown, breakdown_frame
from surveybrief.analysis.tabulate import QuestionTable
from surveybrief.analysis.trends import Trends
from surveybrief.brief import present
from surveybrief.brief.charts import crosstab_heatmap, figure_bytes, house_style, new_figure
from surveybrief.inputs.codebook import Question
from surveybrief.inputs.wave import Wave

#: Said in every caption of a wave whose respondent-level data were rebuilt from percentages.
RECONSTRUCTED = " RECONSTRUCTED from published percentages, not respondent-level data."


@dataclass(frozen=True)
class Chart:
    """A chart that shows itself in JupyterLab (SVG); ``.figure`` is the matplotlib figure."""

    figure: Figure

    def __repr__(self) -> str:
        return "<chart>"

    def _repr_svg_(self) -> str:
        return figure_bytes(self.figure, "svg").decode("utf-8")


def _chart(figure: Figure | None) -> Chart | None:
    return None if figure is None else Chart(figure)


def _source(wave: Wave) -> str:
    return f"Wave {wave.id}." + (RECONSTRUCTED if wave.is_reconstructed else "")


@dataclass(frozen=True)
class Said:
    """What there is to show when there is nothing to show: one sentence, no chart."""

    text: str

    def __repr__(self) -> str:
        return self.text

    @property
    def frame(self) -> pd.DataFrame:
        """Return an empty frame (there are no numbers)."""
        return pd.DataFrame()

    def _repr_html_(self) -> str:
        return f"<p>{escape(self.text)}</p>"

    def chart(self) -> None:
        """Return None: nothing to draw."""
        return None


@dataclass(frozen=True)
class TableView:
    """A question's table: option, label, count, base, %, 95% Wilson interval.

    ``summary`` is what the question's type gives beside its table, shown beneath (a
    ranking's mean rank and share ranked first per option; its ``frame()`` the data).
    """

    result: QuestionTable
    wave: Wave
    summary: object | None = None

    def __repr__(self) -> str:
        return f"<table of {self.result.question.id}, wave {self.wave.id}, n = {self.result.base}>"

    @property
    def frame(self) -> pd.DataFrame:
        """Return the table as a data frame."""
        return self.result.table

    def _repr_html_(self) -> str:
        q = self.result.question
        caption = f"{q.title('en')} (n = {self.result.base}). {_source(self.wave)}"
        html = present.table_html(self.result, caption)
        if self.summary is not None:
            caption = q.kind.summary_caption("", q.title("en"))
            html += q.kind.summary_html(self.summary, caption)
        return html

    def chart(self) -> Chart | None:
        """Return the shares with their 95% Wilson intervals as horizontal bars (seaborn)."""
        import seaborn as sns

        rows = self.result.table[self.result.table["count"].notna()]
        if rows.empty:
            return None
        fig, ax = new_figure(6.4, max(1.6, 0.5 + 0.4 * len(rows)))
        with house_style():
            sns.barplot(rows, x="pct", y="label", color="#1f4e79", ax=ax, errorbar=None)
            error = [rows["pct"] - rows["ci_low"], rows["ci_high"] - rows["pct"]]
            ax.errorbar(rows["pct"], range(len(rows)), xerr=error, fmt="none", ecolor="#333333")
            ax.set(xlabel="% (95% Wilson interval)", ylabel="", xlim=(0, 100))
            ax.set_title(f"{self.result.question.title('en')} (n = {self.result.base})", loc="left")
        return _chart(fig)


@dataclass(frozen=True)
class CrossTabView:
    """A question by the groups of another, protected as the briefing protects its breakdowns."""

    breakdown: Breakdown
    wave: Wave

    def __repr__(self) -> str:
        b = self.breakdown
        return f"<{b.question.id} by {b.profile.id}, wave {self.wave.id}>"

    @property
    def frame(self) -> pd.DataFrame:
        """Return % of each group's respondents per option (blank where hidden), with bases."""
        return breakdown_frame(self.breakdown, "en").set_index("group")

    def _repr_html_(self) -> str:
        b = self.breakdown
        if b.is_empty:
            return f"<p>{escape(_unsafe(b))}</p>"
        caption = f"{b.question.title('en')} by {b.profile.title('en').lower()}. "
        return present.breakdown_html(b, caption + _source(self.wave), "en")

    def chart(self) -> Chart | None:
        """Return a heat map of % per group and option; hidden cells marked "s" (seaborn)."""
        b = self.breakdown
        fig = crosstab_heatmap(b, "en")
        if fig is not None:
            title = f"{b.question.title('en')} by {b.profile.title('en').lower()}"
            title += " (s: not shown)" if b.suppressed.any().any() else ""
            fig.axes[0].set_title(title, loc="left")
        return _chart(fig)


def _unsafe(b: Breakdown) -> str:
    if b.is_safe:
        return f"{b.question.id} by {b.profile.id}: no group answered both."
    return (
        f"{b.question.id} by {b.profile.id}: its groups of 1-4 could be shown only pooled with "
        "every other group, so it is not shown (the briefing would not publish it either)."
    )


@dataclass(frozen=True)
class ComparisonView:
    """A question's shares in two waves and the changes, tested as the trends chapter tests."""

    trends: Trends
    question: Question
    earlier: str

    def __repr__(self) -> str:
        return f"<{self.question.id}: {self.earlier} to {self.trends.current.wave.id}>"

    @property
    def frame(self) -> pd.DataFrame:
        """Return the shares per wave and option (count, base, %, interval)."""
        series = self.trends.series
        return series[series["question_id"] == self.question.id].reset_index(drop=True)

    @property
    def changes(self) -> pd.DataFrame:
        """Return the change of each option: points, interval, p (raw and Holm), detectable."""
        changes = self.trends.changes
        return changes[changes["question_id"] == self.question.id].reset_index(drop=True)

    def _repr_html_(self) -> str:
        if self.question.id in self.trends.not_compared or self.frame.empty:
            why = self.trends.not_compared.get(self.question.id, "no shares in both waves")
            return (
                f"<p>{escape(f'{self.question.id}: not compared with {self.earlier}: {why}')}</p>"
            )
        columns = ["label", "pct_from", "pct_to", "change_pp", "ci_low_pp", "ci_high_pp",
                   "test", "n_paired", "p_holm", "is_detectable"]  # fmt: skip
        note = (
            f"{self.question.title('en')}: {self.earlier} to {self.trends.current.wave.id}. "
            "Holm over every comparison between the two waves, as the trends chapter."
        )
        if self.changes["from_reconstructed"].astype(bool).any():
            note += f" {self.earlier}:{RECONSTRUCTED}"
        return present.frame_html(self.changes[columns].round(3), "freq", note)

    def chart(self) -> Chart | None:
        """Return each option's share in the two waves with its 95% interval (seaborn)."""
        import seaborn as sns

        rows = self.frame[self.frame["pct"].notna()]
        if rows.empty:
            return None
        waves = sorted(rows["wave"].unique())
        labels = list(dict.fromkeys(rows["label"]))
        fig, ax = new_figure(7.2, 3.2)
        with house_style():
            colours = sns.color_palette("colorblind", len(labels))
            for k, label in enumerate(labels):
                own = rows[rows["label"] == label]
                x = [waves.index(w) + (k - (len(labels) - 1) / 2) * 0.08 for w in own["wave"]]
                ax.errorbar(x, own["pct"], yerr=[own["pct"] - own["ci_low"],
                            own["ci_high"] - own["pct"]], marker="o", color=colours[k],
                            label=textwrap.fill(str(label), 30), capsize=2)  # fmt: skip
            ax.set_xticks(range(len(waves)), waves)
            ax.set(ylabel="% (95% Wilson interval)", xlabel="", ylim=(0, 100))
            ax.set_xlim(-0.5, len(waves) - 0.5)
            ax.set_title(self.question.title("en"), loc="left")
            ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        return _chart(fig)


def comparison(trends: Trends, question_id: str | None = None) -> ComparisonView | Said:
    """Return a comparison from a trends step's own results (the first compared question)."""
    changes = trends.changes
    if question_id is None and not changes.empty:
        question_id = str(changes["question_id"].iloc[0])
    if question_id is None or question_id not in set(changes["question_id"]):
        return Said(f"No change was tested for {question_id or 'any question'} in this wave.")
    earlier = str(changes.loc[changes["question_id"] == question_id, "wave_from"].iloc[0])
    return ComparisonView(trends, trends.question(question_id), earlier)
