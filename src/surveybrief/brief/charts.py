"""Charts: bars with 95% Wilson intervals, trend lines, breakdown heat maps; SVG and PNG."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from surveybrief.analysis.breakdowns import Breakdown, breakdown_frame
from surveybrief.analysis.profile import POOLED
from surveybrief.analysis.tabulate import QuestionTable
from surveybrief.brief.i18n import _, current, fmt_pct, language
from surveybrief.config import NOT_REPORTED_CODE
from surveybrief.writers import write_bytes_atomic

PNG_DPI = 220
BAR_COLOUR = "#1f5f8b"
#: The not-reported remainder: grey, but at 3.7:1 against white like every mark (WCAG 1.4.11).
REMAINDER_COLOUR = "#7b8794"
#: Lines of a trend chart: the Okabe-Ito colours that keep 3:1 against white, each with its own
#: marker and dash, so no line is told from another by colour alone (colour-blind readers).
TREND_STYLES = (
    ("#0072B2", "o", "-"),
    ("#D55E00", "s", "--"),
    ("#009E73", "^", "-."),
    ("#CC79A7", "D", ":"),
    ("#000000", "v", (0, (5, 1, 1, 1))),
)

#: House style. Same bytes for the same chart: no timestamps, a fixed SVG id salt, one font
#: with Cyrillic. Applied only while a chart is built or rendered (no pyplot, no global state),
#: so a notebook's own plots and backend are left alone.
STYLE = {
    "svg.hashsalt": "surveybrief",
    "svg.fonttype": "none",  # text as text: light SVG, searchable PDF, one font (DejaVu Sans)
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style for the duration of the block."""
    with matplotlib.rc_context(STYLE):
        yield


def new_figure(width: float, height: float) -> tuple[Figure, object]:
    """Return a figure (not registered with pyplot) and its one axes, in the house style."""
    with house_style():
        fig = Figure(figsize=(width, height), layout="constrained")
        return fig, fig.subplots()


def bar_chart(result: QuestionTable, top: int | None = None) -> Figure | None:
    """Return a bar chart of a question's quantified options, or None if it has no data.

    With ``top``, a half-width chart of the ``top`` most chosen options (and the not-reported
    remainder), for the short brief; a rating scale keeps all its points.
    """
    rows = result.table[result.table["count"].notna()]
    if rows.empty:
        return None
    if top is not None and not result.question.kind.ordered:
        rows = pd.concat([result.ranked.head(top), rows[rows["option"] == NOT_REPORTED_CODE]])
    rows = rows.iloc[::-1]  # largest at the top
    width, wrap, line = (6.4, 34, 0.42) if top is None else (3.4, 24, 0.3)
    labels = [textwrap.fill(str(label), wrap) for label in rows["label"]]
    height = 0.5 + line * sum(label.count("\n") + 1 for label in labels)
    fig, ax = new_figure(width, max(1.6, height))
    with house_style():
        _draw_bars(ax, rows, labels, _axis_label(result), small=top is not None)
    return fig


def _axis_label(result: QuestionTable) -> str:
    """Return what a bar's length is: of respondents, of who answered, or a ranking's top t."""
    q = result.question
    own = q.kind.axis_label(q)
    if own is not None:
        return own
    return _("% of respondents") if q.kind.several else _("% of respondents who answered")


def _draw_bars(ax, rows, labels: list[str], xlabel: str, small: bool = False) -> None:
    """Draw bars, interval whiskers and "pct (k/n)" labels on ``ax``."""
    colours = [REMAINDER_COLOUR if o == NOT_REPORTED_CODE else BAR_COLOUR for o in rows["option"]]
    pct = rows["pct"].to_numpy(dtype=float)
    err = [pct - rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float) - pct]
    ax.barh(range(len(rows)), pct, color=colours, height=0.62)
    ax.errorbar(
        pct, range(len(rows)), xerr=err, fmt="none", ecolor="#333333", elinewidth=0.9, capsize=2.5
    )
    for y, (p, k, n, hi) in enumerate(
        zip(pct, rows["count"], rows["base"], rows["ci_high"], strict=True)
    ):
        ax.text(
            min(float(hi), 100) + 1.5,
            y,
            f"{fmt_pct(p)} ({k}/{n})",
            va="center",
            fontsize=6.5 if small else 8,
        )
    ax.set_yticks(range(len(rows)), labels, **({"fontsize": 7} if small else {}))
    ax.set_xlim(0, 130 if small else 118)
    ax.set_xticks(range(0, 101, 20 if not small else 25))
    if small:
        ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel(xlabel, **({"fontsize": 7} if small else {}))
    ax.tick_params(axis="y", length=0)
    ax.spines["bottom"].set_bounds(0, 100)


def trend_chart(series: pd.DataFrame, qid: str) -> Figure | None:
    """Return a line chart of one question's options over the waves (95% intervals as bars)."""
    frame = series[series["question_id"] == qid]
    if frame["wave"].nunique() < 2:
        return None
    waves = sorted(frame["wave"].unique())
    fig, ax = new_figure(6.4, 3.2)
    with house_style():
        _draw_trend(ax, frame, waves)
    return fig


def trend_options(frame: pd.DataFrame, waves: list[str]) -> list[str]:
    """Return the options a trend chart draws: the five largest of the latest wave."""
    latest = frame[frame["wave"] == waves[-1]]
    order = latest["pct"].fillna(latest["pct_high"]).sort_values(ascending=False).index
    return list(latest.loc[order, "option"].head(len(TREND_STYLES)))


def _draw_trend(ax, frame, waves: list[str]) -> None:
    """Draw the five largest options of the latest wave as lines with interval bars.

    A share the source left partly unknown is drawn as a pale bar over its whole range.
    """
    options = trend_options(frame, waves)
    for (colour, marker, dash), code in zip(TREND_STYLES[: len(options)], options, strict=True):
        rows = frame[frame["option"] == code].set_index("wave").reindex(waves)
        label = textwrap.fill(str(rows["label"].dropna().iloc[0]), 30)
        exact = rows[rows["pct"].notna()]
        ax.errorbar(
            [waves.index(w) for w in exact.index],
            exact["pct"],
            yerr=[exact["pct"] - exact["ci_low"], exact["ci_high"] - exact["pct"]],
            marker=marker,
            linestyle=dash,
            color=colour,
            capsize=2.5,
            linewidth=1.4,
            label=label,
        )
        ranged = rows[rows["pct"].isna() & rows["pct_low"].notna()]
        ax.vlines(
            [waves.index(w) for w in ranged.index],
            ranged["pct_low"],
            ranged["pct_high"],
            colors=colour,
            linewidth=7,
            alpha=0.35,
        )
    rebuilt = set(frame.loc[frame["is_reconstructed"].astype(bool), "wave"])
    ax.set_xticks(range(len(waves)), [f"{w}*" if w in rebuilt else w for w in waves])
    ax.set_ylim(0, 100)
    ax.set_ylabel(_("% of respondents"))
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """Render ``fig`` to SVG or PNG bytes, without metadata that would change between runs."""
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with house_style():
        fig.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=metadata)
    return buffer.getvalue()


def named(name: str) -> str:
    """Return a chart's file name in the current language (English: the name itself)."""
    lang = current()
    return name if lang == "en" else f"{name}.{lang}"


def save_chart(fig: Figure, figures_dir: Path, name: str) -> dict[str, bytes]:
    """Write ``name``.svg and ``name``.png atomically; return both payloads."""
    payloads = {fmt: figure_bytes(fig, fmt) for fmt in ("svg", "png")}
    for fmt, data in payloads.items():
        write_bytes_atomic(Path(figures_dir) / f"{name}.{fmt}", data)
    return payloads


@dataclass
class Figures:
    """A step's charts: drawn once in each of its languages and written then, never again.

    A step calls ``draw`` while it writes its results (``figures/<name>.svg|png``, and
    ``<name>.<lang>.svg|png`` in another language); its document only embeds ``svg``. A
    language the step did not draw (a notebook shown later in another) is drawn in memory
    and not written: presentation writes nothing.
    """

    figures_dir: Path
    langs: tuple[str, ...]
    drawn: dict[tuple[str, str], bytes] = field(default_factory=dict)

    def draw(self, name: str, make: Callable[[], Figure | None]) -> None:
        """Draw ``make()`` in each language and write it (a chart without data: nothing)."""
        for lang in self.langs:
            with language(lang):
                fig = make()
                if fig is not None:
                    svg = save_chart(fig, self.figures_dir, named(name))["svg"]
                    self.drawn[(name, lang)] = svg

    def svg(self, name: str, make: Callable[[], Figure | None]) -> bytes | None:
        """Return the chart in the current language as drawn, or drawn now in memory."""
        found = self.drawn.get((name, current()))
        if found is not None:
            return found
        fig = make()
        return None if fig is None else figure_bytes(fig, "svg")


def svg_of(figures: Figures | None, name: str, make: Callable[[], Figure | None]) -> bytes | None:
    """Return a step's chart as it drew it, or (a step that drew none) drawn now in memory."""
    return (figures or Figures(Path(), ())).svg(name, make)


def crosstab_heatmap(b: Breakdown, lang: str = "en") -> Figure | None:
    """Return a heat map of a breakdown: % of each group per option, hidden cells marked "s".

    Drawn with seaborn from the breakdown as published (``breakdown_frame``): a hidden cell
    has no colour and no number, so the chart shows exactly what the table shows.
    """
    import seaborn as sns

    if b.is_empty:
        return None
    frame = breakdown_frame(b, lang).set_index("group")
    shown = frame[frame["base"].fillna(-1) != 0].drop(columns="base").astype(float)  # none: no row
    short = {"All respondents": _("All respondents")}
    if POOLED in b.profile.codes:  # the table's note names its groups
        short[b.profile.option_label(POOLED, lang)] = _("Other groups together")
    shown = shown.rename(index=short)
    shown.columns = [textwrap.fill(str(c), 18) for c in shown.columns]
    hidden = shown.isna()
    fig, ax = new_figure(2.6 + 1.4 * shown.shape[1], 1.4 + 0.45 * shown.shape[0])
    with house_style():
        colour_bar = {"label": _("% of the group")}
        sns.heatmap(shown.fillna(0), mask=hidden.to_numpy(), annot=True, fmt=".0f", vmin=0,
                    vmax=100, cmap="Blues", cbar_kws=colour_bar, ax=ax)  # fmt: skip
        for i, j in zip(*hidden.to_numpy().nonzero(), strict=True):
            ax.text(j + 0.5, i + 0.5, "s", ha="center", va="center", color="#444444")
        ax.set(xlabel="", ylabel="")
        ax.tick_params(axis="x", labelrotation=0, labelsize=7)
        ax.tick_params(axis="y", labelrotation=0)
    return fig
