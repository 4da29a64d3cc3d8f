"""Wave-on-wave trends: every comparable question across all waves, and the latest change.

Outline: load every wave up to the current one (each cleaned in memory with its own codebook
version) / tabulate each comparable question per wave, with option codes mapped to the current
codebook / for the current wave against the previous comparable one: change in points, Newcombe
hybrid score 95% interval, Fisher's exact test (Holm-adjusted over the options of a question); a
change is "detectable" only when both bases reach the minimum, the interval excludes zero and the
adjusted p < 0.05 / save tables and charts.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pandas as pd

from surveybrief.analysis.stats import fisher_exact_p, holm_adjusted, newcombe_interval
from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.brief import present
from surveybrief.brief.narrative import count_noun, fmt_p, fmt_points
from surveybrief.clean.cleaner import clean_wave
from surveybrief.clean.processed import load_cleaned_wave, resolve_wave
from surveybrief.config import SMALL_BASE_N, list_waves, wave_output_dir
from surveybrief.inputs.codebook import Codebook, compare_versions, load_codebooks
from surveybrief.inputs.wave import Wave, load_wave
from surveybrief.writers import write_csv_atomic

SIGNIFICANCE = 0.05
SERIES_COLUMNS = [
    "question_id",
    "option",
    "label",
    "wave",
    "count",
    "base",
    "pct",
    "ci_low",
    "ci_high",
]
CHANGE_COLUMNS = [
    "question_id",
    "option",
    "label",
    "wave_from",
    "wave_to",
    "pct_from",
    "pct_to",
    "base_from",
    "base_to",
    "change_pp",
    "ci_low_pp",
    "ci_high_pp",
    "p_value",
    "p_holm",
    "is_testable",
    "is_detectable",
]


@dataclass(frozen=True)
class WaveData:
    """One wave, cleaned, with the codebook version it was asked with."""

    wave: Wave
    codebook: Codebook
    responses: pd.DataFrame


@dataclass
class Trends:
    """The series of every comparable question and the changes into the current wave."""

    current: WaveData
    earlier: list[WaveData]
    series: pd.DataFrame
    changes: pd.DataFrame
    not_compared: dict[str, str] = field(default_factory=dict)
    codebooks: dict[int, Codebook] = field(default_factory=dict)

    def detectable(self) -> pd.DataFrame:
        """Return detectable changes, largest first."""
        found = self.changes[self.changes["is_detectable"]]
        return found.reindex(found["change_pp"].abs().sort_values(ascending=False).index)


def load_series(data_root: Path, wave_id: str) -> tuple[WaveData, list[WaveData]]:
    """Return the current wave (processed) and every earlier wave (cleaned from raw, in memory)."""
    cleaned = load_cleaned_wave(data_root, wave_id)
    current = WaveData(cleaned.wave, cleaned.codebook, cleaned.responses)
    codebooks = load_codebooks(data_root)
    earlier = []
    for other in list_waves(data_root):
        if other >= wave_id:
            continue
        meta = load_wave(data_root, other)
        codebook = codebooks[meta.codebook_version]
        earlier.append(WaveData(meta, codebook, clean_wave(meta, codebook).responses))
    return current, earlier


def _table(data: WaveData, qid: str) -> pd.DataFrame:
    return tabulate_question(data.responses, data.codebook.question(qid)).table.set_index("option")


def compute_trends(
    current: WaveData, earlier: list[WaveData], codebooks: dict[int, Codebook]
) -> Trends:
    """Tabulate comparable questions over all waves and test the latest change of each."""
    series, changes, not_compared = [], [], {}
    for q in current.codebook.questions:
        if q.type not in ("single", "multi", "rating", "profile"):
            continue
        now = _table(current, q.id)
        if now["count"].isna().all():
            continue
        previous_wave = None
        for data in [*earlier, current]:
            if data is current:
                code_map = {c: c for c in q.codes}
            else:
                comp = compare_versions(
                    codebooks, data.codebook.version, current.codebook.version, q.id
                )
                if not comp.is_comparable:
                    not_compared.setdefault(q.id, comp.reason)
                    continue
                code_map = comp.code_map
            table = _table(data, q.id)
            for old_code, new_code in code_map.items():
                if old_code not in table.index or pd.isna(table.at[old_code, "count"]):
                    continue
                row = table.loc[old_code]
                series.append(
                    {
                        "question_id": q.id,
                        "option": new_code,
                        "label": q.option_label(new_code),
                        "wave": data.wave.id,
                        "count": int(row["count"]),
                        "base": int(row["base"]),
                        "pct": row["pct"],
                        "ci_low": row["ci_low"],
                        "ci_high": row["ci_high"],
                    }
                )
            if data is not current:
                previous_wave = data.wave.id
        if previous_wave is None:
            continue
        frame = pd.DataFrame(series)
        frame = frame[frame["question_id"] == q.id]
        question_changes = []
        for code in q.codes:
            before = frame[(frame["option"] == code) & (frame["wave"] == previous_wave)]
            after = frame[(frame["option"] == code) & (frame["wave"] == current.wave.id)]
            if before.empty or after.empty:
                continue
            b, a = before.iloc[0], after.iloc[0]
            low, high = newcombe_interval(b["count"], b["base"], a["count"], a["base"])
            p_value = fisher_exact_p(b["count"], b["base"], a["count"], a["base"])
            question_changes.append(
                {
                    "question_id": q.id,
                    "option": code,
                    "label": q.option_label(code),
                    "wave_from": previous_wave,
                    "wave_to": current.wave.id,
                    "pct_from": b["pct"],
                    "pct_to": a["pct"],
                    "base_from": int(b["base"]),
                    "base_to": int(a["base"]),
                    "change_pp": a["pct"] - b["pct"],
                    "ci_low_pp": 100 * low,
                    "ci_high_pp": 100 * high,
                    "p_value": p_value,
                    "is_testable": min(b["base"], a["base"]) >= SMALL_BASE_N,
                    "excludes_zero": low > 0 or high < 0,
                }
            )
        changes += _adjust_and_decide(question_changes)
    return Trends(
        current=current,
        earlier=earlier,
        series=pd.DataFrame(series, columns=SERIES_COLUMNS),
        changes=pd.DataFrame(changes, columns=CHANGE_COLUMNS),
        not_compared=not_compared,
        codebooks=codebooks,
    )


def _fmt_table_p(p: float) -> str:
    return "–" if pd.isna(p) else "<0.001" if p < 0.001 else f"{p:.3f}"


def _adjust_and_decide(rows: list[dict]) -> list[dict]:
    """Add Holm-adjusted p-values over a question's testable options, and decide detectability.

    The options of one question are one family: with ten options, one "change" in twenty would
    pass p < 0.05 by chance alone.
    """
    testable = [r for r in rows if r["is_testable"]]
    for r, p in zip(testable, holm_adjusted([r["p_value"] for r in testable]), strict=True):
        r["p_holm"] = p
    for r in rows:
        r.setdefault("p_holm", float("nan"))
        excludes_zero = r.pop("excludes_zero")
        r["is_detectable"] = bool(r["is_testable"] and excludes_zero and r["p_holm"] < SIGNIFICANCE)
    return rows


def describe_changes(trends: Trends, qid: str) -> list[str]:
    """Return the narrative of one question's latest change, computed from the change table."""
    rows = trends.changes[trends.changes["question_id"] == qid]
    if rows.empty:
        return ["No earlier wave asked this question in a comparable form."]
    first = rows.iloc[0]
    span = f"Between {first['wave_from']} and {first['wave_to']}"
    if not rows["is_testable"].all():
        return [
            f"{span}, bases under {SMALL_BASE_N} (n = {first['base_from']} and "
            f"{first['base_to']}) allow no test of change; shares are shown as they are."
        ]
    found = rows[rows["is_detectable"]]
    if found.empty:
        largest = rows.reindex(rows["change_pp"].abs().sort_values(ascending=False).index).iloc[0]
        return [
            f"{span}, no change is detectable at this sample size (n = "
            f"{first['base_from']} and {first['base_to']}). The largest shift, "
            f"“{largest['label']}” ({fmt_points(largest['change_pp'])} points), has a 95% "
            f"interval from {fmt_points(largest['ci_low_pp'])} to "
            f"{fmt_points(largest['ci_high_pp'])} points, which includes no change."
        ]
    sentences = []
    for _, r in found.reindex(
        found["change_pp"].abs().sort_values(ascending=False).index
    ).iterrows():
        verb = "rose" if r["change_pp"] > 0 else "fell"
        sentences.append(
            f"{span}, “{r['label']}” {verb} from {r['pct_from']:.0f}% to {r['pct_to']:.0f}% "
            f"({fmt_points(r['change_pp'])} points; 95% CI {fmt_points(r['ci_low_pp'])} to "
            f"{fmt_points(r['ci_high_pp'])}; Fisher's exact test, Holm-adjusted "
            f"{fmt_p(r['p_holm'])})."
        )
    others = len(rows) - len(found)
    if others:
        sentences.append(f"No change is detectable for the other {count_noun(others, 'option')}.")
    return sentences


def trend_chart(trends: Trends, qid: str):
    """Return a line chart of one question's options over the waves (95% intervals as bars)."""
    from surveybrief.brief import charts

    frame = trends.series[trends.series["question_id"] == qid]
    if frame["wave"].nunique() < 2:
        return None
    waves = sorted(frame["wave"].unique())
    fig, ax = charts.new_figure(6.4, 3.2)
    with charts.house_style():
        _draw_trend(ax, frame, waves)
    return fig


def _draw_trend(ax, frame, waves: list[str]) -> None:
    """Draw the five largest options of the latest wave as lines with interval bars."""
    latest = frame[frame["wave"] == waves[-1]].sort_values("pct", ascending=False)
    for code in latest["option"].head(5):
        rows = frame[frame["option"] == code].set_index("wave").reindex(waves)
        x = [waves.index(w) for w in rows.index[rows["pct"].notna()]]
        rows = rows[rows["pct"].notna()]
        ax.errorbar(
            x,
            rows["pct"],
            yerr=[rows["pct"] - rows["ci_low"], rows["ci_high"] - rows["pct"]],
            marker="o",
            capsize=2.5,
            linewidth=1.4,
            label=textwrap.fill(str(rows["label"].iloc[0]), 30),
        )
    ax.set_xticks(range(len(waves)), waves)
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of respondents")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


@dataclass
class TrendsRun:
    """What 80_trends calls: write the trend tables and charts, display the chapter."""

    trends: Trends
    output_dir: Path

    def write_tables(self) -> list[Path]:
        """Write tables/trends.csv (every wave) and tables/changes.csv (the latest change)."""
        tables = self.output_dir / "tables"
        return [
            write_csv_atomic(tables / "trends.csv", self.trends.series),
            write_csv_atomic(tables / "changes.csv", self.trends.changes),
        ]

    def title_html(self) -> str:
        """Return the chapter heading, the waves compared and the codebook changes."""
        waves = [d.wave.id for d in self.trends.earlier] + [self.trends.current.wave.id]
        lead = (
            f"Waves compared: {', '.join(waves)}. Changes are tested between the two most "
            f"recent waves that asked a question in a comparable form, only where both bases "
            f"reach {SMALL_BASE_N}: Newcombe's hybrid score 95% interval for the difference "
            "and Fisher's exact test, its p-values Holm-adjusted over the options of each "
            "question (a change must pass both)."
        )
        parts = [f'<h1 class="chapter">Trends across waves</h1><p class="lead">{escape(lead)}</p>']
        lines = []
        for version in sorted(self.trends.codebooks):
            low = min(d.codebook.version for d in [*self.trends.earlier, self.trends.current])
            if low < version <= self.trends.current.codebook.version:
                book = self.trends.codebooks[version]
                lines += [f"Codebook v{version}: {line}" for line in book.changes.describe(book)]
        lines += [
            f"Not compared: {self.trends.current.codebook.question(q).title()} ({why})."
            for q, why in self.trends.not_compared.items()
        ]
        if lines:
            parts.append("<h2>What changed in the questionnaire</h2>")
            parts.append(present.bullet_list(lines, "changes"))
        return "".join(parts)

    def question_html(self, qid: str) -> str:
        """Return one question's trend narrative, chart and change table."""
        from surveybrief.brief import charts

        q = self.trends.current.codebook.question(qid)
        parts = [
            f"<h2>{escape(q.title())}</h2>",
            present.paragraph(describe_changes(self.trends, qid)),
        ]
        fig = trend_chart(self.trends, qid)
        if fig is not None:
            payloads = charts.save_chart(fig, self.output_dir / "figures", f"trend_{qid}")
            parts.append(
                present.figure_html(
                    payloads["svg"],
                    f"Line chart of {q.title()} across waves, with 95% intervals.",
                    f"{q.title()}: % by wave (top options of the latest wave). Error bars: 95% "
                    "Wilson intervals.",
                )
            )
        rows = self.trends.changes[self.trends.changes["question_id"] == qid]
        if not rows.empty:
            shown = pd.DataFrame(
                {
                    "Answer": rows["label"],
                    f"{rows['wave_from'].iloc[0]} %": rows["pct_from"].map("{:.0f}".format),
                    f"{rows['wave_to'].iloc[0]} %": rows["pct_to"].map("{:.0f}".format),
                    "Change (points)": rows["change_pp"].map(fmt_points),
                    "95% CI": [
                        f"{fmt_points(lo)} to {fmt_points(hi)}"
                        for lo, hi in zip(rows["ci_low_pp"], rows["ci_high_pp"], strict=True)
                    ],
                    "p (Fisher)": rows["p_value"].map(_fmt_table_p),
                    "p (Holm)": rows["p_holm"].map(_fmt_table_p),
                    "Detectable": rows["is_detectable"].map({True: "yes", False: "no"}),
                }
            )
            parts.append(
                present.frame_html(
                    shown,
                    "audit change",
                    f"Change in {q.title()}: bases {rows['base_from'].iloc[0]} and "
                    f"{rows['base_to'].iloc[0]}",
                )
            )
        return f'<section class="question trend" id="trend-{qid}">{"".join(parts)}</section>'

    def show(self) -> None:
        """Display the trends chapter (in a notebook)."""
        from IPython.display import HTML, display

        display(HTML(self.title_html()))
        for qid in dict.fromkeys(self.trends.series["question_id"]):
            display(HTML(self.question_html(qid)))


def open_trends(
    wave: str = "latest", data_root: str | Path = "../data", outputs_root: str | Path = "../outputs"
) -> TrendsRun:
    """Compute the trends of a cleaned wave against every earlier wave."""
    data_root = Path(data_root)
    wave_id = resolve_wave(data_root, wave)
    current, earlier = load_series(data_root, wave_id)
    trends = compute_trends(current, earlier, load_codebooks(data_root))
    return TrendsRun(trends, wave_output_dir(Path(outputs_root), wave_id))
