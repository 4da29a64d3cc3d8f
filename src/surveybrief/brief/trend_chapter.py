"""What the trends notebook (80_trends) calls: the trends computed once, written, displayed.

``open_trends`` loads the waves, computes the series and the tested changes (``analysis.trends``)
and publishes them (``trends``, ``changes``: the catalogue, which the front matter reads, and
their CSV exports). ``show``
displays the chapter: what changed in the questionnaire, then per question the narrative, the
chart and the change table.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from surveybrief import catalogue
from surveybrief.analysis.attrition import TABLE_PREFIX
from surveybrief.analysis.breakdowns import breakdown_frame
from surveybrief.analysis.paired import MCNEMAR, PARTIAL_Z
from surveybrief.analysis.theme_trends import add_theme_trends
from surveybrief.analysis.trends import INDEPENDENT_TEST, Trends, compute_trends
from surveybrief.brief import charts, present
from surveybrief.brief.display import parse_langs, show_html
from surveybrief.brief.i18n import _, current, fmt_decimal, translate
from surveybrief.brief.narrative import fmt_points, question_title
from surveybrief.brief.trend_text import (
    RECONSTRUCTED,
    describe_changes,
    question_test_sentence,
)
from surveybrief.clean.processed import CleanedWave, load_cleaned_wave
from surveybrief.config import (
    SMALL_BASE_N,
    figures_dir,
    list_waves,
    resolve_wave,
    wave_output_dir,
)
from surveybrief.inputs.codebook import Changes, Codebook, load_codebooks
from surveybrief.inputs.coding import returned_codings

#: The tables this step writes (the front matter reads the changes).
TRENDS, CHANGES, PANEL, QUESTION_TESTS = "trends", "changes", "panel", "question_tests"


def _ranges(rows: pd.DataFrame, low: str, high: str) -> list[str]:
    """Return shares for a table: "56", or "0–40" where the source left part unknown."""
    return [
        f"{lo:.0f}" if round(lo) == round(hi) else f"{lo:.0f}–{hi:.0f}"
        for lo, hi in zip(rows[low], rows[high], strict=True)
    ]


def _share_cell(r: pd.Series) -> str:
    """Return one wave's share of an option: "56", "0–40" where partly unknown, "–" if none."""
    if pd.isna(r["pct_low"]) and pd.isna(r["pct"]):
        return "–"
    low, high = (r["pct"], r["pct"]) if pd.notna(r["pct"]) else (r["pct_low"], r["pct_high"])
    return f"{low:.0f}" if round(low) == round(high) else f"{low:.0f}–{high:.0f}"


def _change_cell(r: pd.Series) -> str:
    """Return a change for a table; a range (and its least favourable end) where bounded."""
    if not r["is_bounded"]:
        return fmt_points(r["change_pp"])
    span = _("{low} to {high}").format(
        low=fmt_points(r["change_low_pp"]), high=fmt_points(r["change_high_pp"])
    )
    if pd.isna(r["change_pp"]):
        return _("{span} (includes 0)").format(span=span)
    return _("{span} (at least {points})").format(span=span, points=fmt_points(r["change_pp"]))


def _fmt_table_p(p: float) -> str:
    if pd.isna(p):
        return "–"
    return "<" + fmt_decimal(0.001, 3) if p < 0.001 else fmt_decimal(p, 3)


def codebook_change_lines(changes: Changes, codebook: Codebook) -> list[str]:
    """Return what a codebook version changed, as sentences for the trends chapter."""
    lines = [_("Added: {title}.").format(title=_title(codebook, q)) for q in changes.added]
    lines += [_("Dropped: {question}.").format(question=q) for q in changes.dropped]
    lines += [
        _("Reworded (not compared with earlier waves): {title}.").format(title=_title(codebook, q))
        for q in changes.reworded
    ]
    for qid, renames in changes.renamed_options.items():
        for old, new in renames.items():
            lines.append(
                _("Option renamed in {title}: {old} → {new}.").format(
                    title=_title(codebook, qid), old=old, new=new
                )
            )
    for qid, splits in changes.split_options.items():
        for old, new in splits.items():
            lines.append(
                _(
                    "Option split in {title}: {old} → {new} (these options are not compared "
                    "with earlier waves)."
                ).format(title=_title(codebook, qid), old=old, new=", ".join(new))
            )
    return lines


def _title(codebook: Codebook, qid: str) -> str:
    try:
        return codebook.question(qid).title(current())
    except KeyError:
        return qid


@dataclass
class TrendsRun:
    """What 80_trends calls: write the trend tables and charts, display the chapter."""

    trends: Trends
    output_dir: Path
    langs: tuple[str, ...] = ("en",)
    #: Each question's trend chart in each language, drawn and written once (``write_tables``).
    figures: charts.Figures | None = None

    @property
    def series(self) -> pd.DataFrame:
        """Return the share of every option of every comparable question, per wave."""
        return self.trends.series

    @property
    def changes(self) -> pd.DataFrame:
        """Return the latest tested change of every option (one row per option)."""
        return self.trends.changes

    def write_tables(self) -> list[Path]:
        """Publish trends (every wave) and changes (the latest change of every option)."""
        written = [
            *catalogue.publish(self.output_dir, TRENDS, self.trends.series),
            *catalogue.publish(self.output_dir, CHANGES, self.trends.changes),
        ]
        if not self.trends.panel.empty:  # who of the panel answered again, left, joined
            written += catalogue.publish(self.output_dir, PANEL, self.trends.panel)
        for b in self.trends.attrition:  # who answered again, by the earlier wave's profile
            name = f"{TABLE_PREFIX}{b.profile.id}"
            written += catalogue.publish(self.output_dir, name, breakdown_frame(b, "en"))
        if not self.trends.question_tests.empty:  # whole questions tested on the pairs
            written += catalogue.publish(
                self.output_dir, QUESTION_TESTS, self.trends.question_tests
            )
        self.figures = charts.Figures(figures_dir(self.output_dir), self.langs)
        for qid in self.series["question_id"].drop_duplicates():
            self.figures.draw(f"trend_{qid}", lambda qid=qid: charts.trend_chart(self.series, qid))
        return written

    @property
    def n_tests(self) -> int:
        """Return the tests of the chapter's family: testable changes, a mirrored pair once."""
        c = self.trends.changes
        return int((c["is_testable"].astype(bool) & c["same_test_as"].fillna("").eq("")).sum())

    def panel_sentences(self) -> list[str]:
        """Return who of the panel answered again, and how its changes are tested."""
        flow = self.trends.panel
        if flow.empty:
            return []
        f = flow.iloc[0]
        said = [
            _(
                "The panel: of the {before} experts of {start}, {both} answered again in {end} "
                "and {left} did not; {joined} joined."
            ).format(
                before=int(f["panel_from"]),
                start=f["wave_from"],
                both=int(f["both"]),
                end=f["wave_to"],
                left=int(f["left"]),
                joined=int(f["joined"]),
            )
        ]
        if (self.changes["test"] != INDEPENDENT_TEST).any():
            said.append(
                _(
                    "Experts are linked across waves without keeping who they are. Where some "
                    "answered both waves, a change is tested on their pairs, not as two "
                    "independent samples: McNemar's exact test with Newcombe's paired interval "
                    "when every expert answered both, the partially overlapping samples z-test "
                    "(Derrick et al.) when some did; each change names its test. Each question is "
                    "also tested as a whole on the pairs (Stuart-Maxwell for one answer of "
                    "several, the Wilcoxon signed-rank test for a rating; the partially "
                    "overlapping t-test when some answered one wave only), Holm-adjusted as a "
                    "family of its own."
                )
            )
        return said

    def title_html(self) -> str:
        """Return the chapter heading, the waves compared and the codebook changes."""
        waves = [
            _("{wave} ({reconstructed})").format(wave=d.wave.id, reconstructed=_(RECONSTRUCTED))
            if d.wave.is_reconstructed
            else d.wave.id
            for d in [*self.trends.earlier, self.trends.current]
        ]
        lead = _(
            "Waves compared: {waves}. Changes are tested between the two most recent waves that "
            "asked a question in a comparable form, only where both bases reach {minimum}: "
            "Newcombe's hybrid score 95% interval for the difference and Fisher's exact test, "
            "its p-values Holm-adjusted over all {tests} tests of this chapter as one family (a "
            "change must pass both). A question with two answers that make up every answer is "
            "one test."
        ).format(waves=", ".join(waves), minimum=SMALL_BASE_N, tests=self.n_tests)
        heading = escape(_("Trends across waves"))
        parts = [f'<h1 class="chapter">{heading}</h1><p class="lead">{escape(lead)}</p>']
        parts += [present.paragraph(self.panel_sentences())] if self.panel_sentences() else []
        parts += self._attrition_html()
        lines = []
        for version in sorted(self.trends.codebooks):
            low = min(d.codebook.version for d in [*self.trends.earlier, self.trends.current])
            if low < version <= self.trends.current.codebook.version:
                book = self.trends.codebooks[version]
                lines += [
                    _("Codebook v{version}: {change}").format(version=version, change=line)
                    for line in codebook_change_lines(book.changes, book)
                ]
        lines += [
            _("Not compared: {title} ({reason}).").format(
                title=self._title(q), reason=translate(why)
            )
            for q, why in self.trends.not_compared.items()
        ]
        if lines:
            heading = _("What changed in the questionnaire")
            parts.append(f"<h2>{escape(heading)}</h2>")
            parts.append(present.bullet_list(lines, "changes"))
        return "".join(parts)

    def _title(self, qid: str) -> str:
        return question_title(self.trends.current.codebook, self.trends.question(qid))

    def _attrition_html(self) -> list[str]:
        """Return who of the earlier wave answered again, by each of its profile questions."""
        if not self.trends.attrition:
            return []
        flow = self.trends.panel.iloc[0]
        lead = _(
            "Those who did not answer again may differ from those who did: a change can come "
            "from who left rather than from anyone changing their mind. By each profile of "
            "{start}, the share of its linked experts who answered again in {end}; ▲/▼ marks "
            "a group that answered again more or less often than the rest (Fisher's exact "
            "test, Holm-adjusted over the table)."
        ).format(start=flow["wave_from"], end=flow["wave_to"])
        heading = escape(_("Who answered again"))
        parts = [f"<h2>{heading}</h2>", present.paragraph([lead])]
        for b in self.trends.attrition:
            caption = _("Experts of {start} by {profile}: who answered again in {end} (%)").format(
                start=flow["wave_from"], profile=b.profile.title(current()), end=flow["wave_to"]
            )
            parts.append(present.breakdown_html(b, caption, current()))
        return parts

    def _chart_html(self, qid: str) -> str:
        svg = charts.svg_of(
            self.figures, f"trend_{qid}", lambda: charts.trend_chart(self.series, qid)
        )
        if svg is None:
            return ""
        rows = self.series[self.series["question_id"] == qid]
        rebuilt = sorted(set(rows.loc[rows["is_reconstructed"].astype(bool), "wave"]))
        title = self._title(qid)
        caption = _(
            "{title}: % by wave (top options of the latest wave). Error bars: 95% Wilson intervals."
        ).format(title=title)
        if rebuilt:
            caption += " *" + _("{waves}: {reconstructed}.").format(
                waves=", ".join(rebuilt), reconstructed=_(RECONSTRUCTED)
            )
        if rows["pct"].isna().any():
            caption += " " + _(
                "Pale bars: the range of a share the source left partly unknown (answers it did "
                "not report)."
            )
        return present.figure_html(svg, self._alt(qid), caption)

    def _plotted(self, qid: str) -> tuple[pd.DataFrame, list[str], list[str]]:
        """Return a question's series, its waves and the options its chart draws (top five)."""
        rows = self.series[self.series["question_id"] == qid]
        waves = sorted(rows["wave"].unique())
        return rows, waves, charts.trend_options(rows, waves)

    def _alt(self, qid: str) -> str:
        """Return the chart's text alternative: what it shows, with every value it draws."""
        rows, waves, plotted = self._plotted(qid)
        q = self.trends.question(qid)
        lines = []
        for option in plotted:
            at = rows[rows["option"] == option].set_index("wave").reindex(waves)
            values = " → ".join(_share_cell(r) for _w, r in at.iterrows())
            lines.append(f"{q.option_label(str(option), current())}: {values}")
        return _("Line chart of {title} across waves {waves} (%, 95% intervals): {values}.").format(
            title=self._title(qid), waves=", ".join(waves), values="; ".join(lines)
        )

    def series_frame(self, qid: str) -> pd.DataFrame:
        """Return the chart's data as a table: % per option and wave, each wave with its base."""
        rows, waves, plotted = self._plotted(qid)
        q = self.trends.question(qid)
        table = {_("Answer"): [q.option_label(str(o), current()) for o in plotted]}
        for wave in waves:
            at = rows[rows["wave"] == wave].set_index("option").reindex(plotted)
            base = int(at["base"].dropna().iloc[0]) if at["base"].notna().any() else 0
            table[_("{wave} % (n = {n})").format(wave=wave, n=base)] = [
                _share_cell(r) for _o, r in at.iterrows()
            ]
        return pd.DataFrame(table)

    def change_frame(self, qid: str) -> pd.DataFrame:
        """Return one question's latest changes as shown to readers."""
        rows = self.changes[self.changes["question_id"] == qid]
        q = self.trends.question(qid)
        return pd.DataFrame(
            {
                _("Answer"): [q.option_label(str(c), current()) for c in rows["option"]],
                f"{rows['wave_from'].iloc[0]} %": _ranges(rows, "pct_from_low", "pct_from_high"),
                f"{rows['wave_to'].iloc[0]} %": _ranges(rows, "pct_to_low", "pct_to_high"),
                _("Change (points)"): [_change_cell(r) for _i, r in rows.iterrows()],
                _("95% CI"): [
                    "–"
                    if pd.isna(lo)
                    else _("{low} to {high}").format(low=fmt_points(lo), high=fmt_points(hi))
                    for lo, hi in zip(rows["ci_low_pp"], rows["ci_high_pp"], strict=True)
                ],
                **self._p_columns(rows),
                _("p (Holm)"): rows["p_holm"].map(_fmt_table_p),
                _("Detectable"): [_("yes") if d else _("no") for d in rows["is_detectable"]],
            }
        )

    def _p_columns(self, rows: pd.DataFrame) -> dict:
        """Return the change table's p column: Fisher's, or each row's own test on a panel."""
        if (rows["test"] == INDEPENDENT_TEST).all():
            return {_("p (Fisher)"): rows["p_value"].map(_fmt_table_p)}
        names = {MCNEMAR: _("McNemar"), PARTIAL_Z: _("partially overlapping z"),
                 INDEPENDENT_TEST: _("Fisher")}  # fmt: skip
        return {_("Test"): rows["test"].map(names), "p": rows["p_value"].map(_fmt_table_p)}

    def question_html(self, qid: str) -> str:
        """Return one question's trend narrative, chart and change table."""
        whole = question_test_sentence(self.trends, qid)
        parts = [
            f"<h2>{escape(self._title(qid))}</h2>",
            present.paragraph(describe_changes(self.trends, qid) + ([whole] if whole else [])),
            self._chart_html(qid),
        ]
        rows = self.changes[self.changes["question_id"] == qid]
        _series, waves, plotted = self._plotted(qid)
        drawn = len(waves) > 1  # a chart: its data as a table, unless the changes hold them
        if drawn and (len(waves) > 2 or not set(plotted) <= set(rows["option"])):
            caption = _("{title}: % by wave, as the chart above draws it").format(
                title=self._title(qid)
            )
            parts.append(present.frame_html(self.series_frame(qid), "audit series", caption))
        if not rows.empty:
            caption = _("Change in {title}: bases {n_from} and {n_to}").format(
                title=self._title(qid),
                n_from=rows["base_from"].iloc[0],
                n_to=rows["base_to"].iloc[0],
            )
            if rows["from_reconstructed"].astype(bool).any():
                caption += " " + _("({wave} {reconstructed})").format(
                    wave=rows["wave_from"].iloc[0], reconstructed=_(RECONSTRUCTED)
                )
            parts.append(present.frame_html(self.change_frame(qid), "audit change", caption))
        return f'<section class="question trend" id="trend-{qid}">{"".join(parts)}</section>'

    def show(self) -> None:
        """Display the trends chapter (in a notebook)."""
        questions = list(dict.fromkeys(self.series["question_id"]))
        show_html(
            self.langs, lambda: [self.title_html(), *(self.question_html(q) for q in questions)]
        )


def load_series(
    data_root: Path, run_dir: Path, wave_id: str
) -> tuple[CleanedWave, list[CleanedWave]]:
    """Return the current wave and every earlier wave, as the run's 00_clean processed them."""
    waves = [w for w in list_waves(data_root) if w <= wave_id]
    earlier = [load_cleaned_wave(data_root, run_dir, w) for w in waves if w != wave_id]
    return load_cleaned_wave(data_root, run_dir, wave_id), earlier


def open_trends(
    wave: str = "latest",
    data_root: str | Path = "../data",
    outputs_root: str | Path = "../outputs",
    langs: str = "en",
) -> TrendsRun:
    """Compute the trends of a cleaned wave against every earlier wave; write their tables."""
    data_root = Path(data_root)
    wave_id = resolve_wave(data_root, wave)
    output_dir = wave_output_dir(Path(outputs_root), wave_id)
    current, earlier = load_series(data_root, output_dir, wave_id)
    asked = {t.id for t in current.codebook.open_targets}
    returned = returned_codings(data_root, [current, *earlier], asked)
    trends = add_theme_trends(compute_trends(current, earlier, load_codebooks(data_root)), returned)
    run = TrendsRun(trends, output_dir, parse_langs(langs))
    run.write_tables()
    return run
