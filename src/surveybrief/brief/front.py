"""The briefing's front matter: cover with key findings, and the methodology box.

Nothing is recomputed here: the counts and bases come from cleaning (``clean_report.json``),
the headline tables from the section notebooks, the changes from 80_trends and the audit from
90_audit, each as its step wrote it into the run's catalogue (``surveybrief.catalogue``), never
from the published ``tables/*.csv``; the pipeline runs this notebook after them. So the cover
changes when the data change, and says what the chapters say. The methodology box carries the
AAPOR items.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from html import escape
from pathlib import Path

import pandas as pd

from surveybrief import catalogue
from surveybrief.analysis.tabulate import QuestionTable, table_of
from surveybrief.brief import checklist, narrative, present
from surveybrief.brief.audit_chapter import FIGURES, REPRODUCTION, assumed_base_note
from surveybrief.brief.consensus_chapter import CONSENSUS, narrow
from surveybrief.brief.display import BRIEF_DOC, parse_langs, show_html
from surveybrief.brief.i18n import _, current, fmt_date_range
from surveybrief.brief.methodology import methodology_rows
from surveybrief.brief.short import brief_html
from surveybrief.brief.trend_chapter import CHANGES
from surveybrief.brief.trend_text import trend_findings
from surveybrief.clean.processed import load_clean_report
from surveybrief.config import (
    SMALL_BASE_N,
    list_waves,
    resolve_wave,
    wave_output_dir,
)
from surveybrief.inputs.codebook import Codebook, load_codebook
from surveybrief.inputs.published import Publication, load_published_if_any
from surveybrief.inputs.wave import Wave, load_wave
from surveybrief.writers import write_json_atomic, write_text_atomic

#: Most findings on the cover: chapter headlines fill what trends and the audit leave.
MAX_FINDINGS = 6
#: Largest detectable changes named on the cover when earlier waves exist.
MAX_TREND_FINDINGS = 2


@dataclass
class FrontMatter:
    """Inputs of the cover and the methodology box for one wave: what earlier steps wrote."""

    codebook: Codebook
    wave: Wave
    clean_report: dict
    publication: Publication | None
    output_dir: Path
    has_earlier_waves: bool = False
    langs: tuple[str, ...] = ("en",)
    #: The earlier waves the trends compare with (their disclosure facts).
    earlier_waves: tuple[Wave, ...] = ()
    #: Where the wave's inputs are (the checklist looks for returned coding workbooks).
    data_root: Path = Path("../data")

    def read_output(self, name: str) -> pd.DataFrame:
        """Return a result an earlier step of the run wrote (the catalogue, not ``tables/``)."""
        return catalogue.read(self.output_dir, name)

    @property
    def n_respondents(self) -> int:
        """Return the respondents in the cleaned data."""
        return int(self.clean_report["n_rows_valid"])

    def headlines(self, section, fallback: bool = False) -> list[tuple[float, QuestionTable]]:
        """Return the section's headline results with data, the most certain first.

        Certainty is the lower bound of the 95% interval of the answer most chose. With
        ``fallback``, a section that marks no headline question offers its closed questions.
        """
        marked = [q for q in section.questions if q.is_headline]
        if fallback and not marked:
            marked = [q for q in section.questions if q.kind.headline]
        found = []
        for q in marked:
            if not catalogue.has(self.output_dir, q.id):
                continue
            frame = catalogue.read(self.output_dir, q.id)
            result = table_of(frame, q, self.clean_report["bases"][q.id], current())
            if result.has_data and not result.quantified.empty:
                found.append((float(result.ranked.iloc[0]["ci_low"]), result))
        return sorted(found, key=lambda item: -item[0])

    def key_findings(self, with_changes: bool = True) -> list[str]:
        """Return up to six computed findings: headline results, the changes and the audit.

        Each chapter's most certain headline result comes first; the slots left go to the
        other headline results, most certain first. Findings are shown in chapter order.
        Without ``with_changes``, headline results only (the short brief lists changes apart).
        """
        extra = self.consensus_findings()
        extra += self.trend_findings() + self.audit_findings() if with_changes else []
        slots = MAX_FINDINGS - len(extra)
        ranked = [
            (rank, -low, section.number, position, result)
            for section in self.codebook.chapters
            for rank, (low, result) in enumerate(self.headlines(section))
            for position in [section.questions.index(result.question)]
        ]
        chosen = sorted(ranked, key=lambda c: (min(c[0], 1), c[1]))[:slots]
        chosen.sort(key=lambda c: (c[2], c[3]))  # chapter order, then questionnaire order
        return [narrative.key_finding(c[4], self.flags(c[4])) for c in chosen] + extra

    def flags(self, result: QuestionTable) -> list[str]:
        """Return the flags a result carries in its chapter, to repeat wherever it is quoted.

        A small base (indicative); a reconstructed wave, with "base assumed" where the chapter
        says its figures fit other bases too (``assumed_base_note``); a published figure of the
        question the data do not reproduce (mismatch or unattainable, as in Appendix A).
        """
        flags = []
        if result.is_small_base:
            flags.append(_("indicative: base under {minimum}").format(minimum=SMALL_BASE_N))
        if self.wave.is_reconstructed:
            assumed = assumed_base_note(
                self.publication, result.question, result.base, self.wave.n_stated
            )
            flags.append(
                _("reconstructed from published figures, base assumed")
                if assumed
                else _("reconstructed from published figures")
            )
        if self.publication is not None:
            status = self.reproduction.set_index("question_id")["status"]
            mine = status[status.index == result.question.id]
            if (mine != "match").any():
                flags.append(
                    _("a published figure of this question is not reproduced (Appendix A)")
                )
        return flags

    @cached_property
    def reproduction(self) -> pd.DataFrame:
        """Return the audit's reproduction table (90_audit's), read once."""
        return self.read_output(REPRODUCTION)

    def audit_counts(self) -> dict[str, int]:
        """Return the audit's counts (from 90_audit's tables): matched, total, impossible ones.

        ``stated``: impossible at exactly the stated sample; ``alone``: impossible on their own
        at any base up to it; ``together``: each possible alone, not with their question's
        other figures at one base up to it.
        """
        status = self.reproduction["status"]
        figures = self.read_output(FIGURES)
        alone = figures["is_attainable_alone_up_to_stated_n"].astype(bool)
        fits = figures["question_fits_up_to_stated_n"].astype(bool)
        return {
            "matched": int((status == "match").sum()),
            "total": len(status),
            "stated": int((~figures["is_attainable_at_stated_n"].astype(bool)).sum()),
            "alone": int((~alone).sum()),
            "together": int((alone & ~fits).sum()),
        }

    def audit_findings(self) -> list[str]:
        """Return the audit's summary, if the wave has published figures.

        It says exactly what is impossible: at the stated sample, alone, or together with the
        question's other figures.
        """
        if self.publication is None:
            return []
        counts, n = self.audit_counts(), self.wave.n_stated
        parts = [
            _("Audit of the published figures: {matched} of {total} are reproduced exactly.")
            .format(**counts),
            _("{stated} cannot be whole counts of exactly {n} respondents.")
            .format(n=n, **counts) if counts["stated"] else "",
            _("{alone} cannot be whole counts of any number of respondents up to {n}.")
            .format(n=n, **counts) if counts["alone"] else "",
            _(
                "{together} are each possible on their own but not together with the other "
                "figures of their question, for any one number of respondents up to {n}."
            ).format(n=n, **counts) if counts["together"] else "",
            _("See the appendix."),
        ]  # fmt: skip
        return [" ".join(p for p in parts if p)]

    def consensus_findings(self) -> list[str]:
        """Return where the panel agrees by the rules declared in advance (05_consensus's)."""
        if not catalogue.has(self.output_dir, CONSENSUS):
            return []
        table = self.read_output(CONSENSUS)
        if table.empty:
            return []
        reached = table[table["is_reached"].astype(bool)]
        if reached.empty:
            return [
                _(
                    "By the rules declared in advance, the panel reached consensus on none of the "
                    "{total} statements."
                ).format(total=len(table))
            ]
        titles = [
            self.codebook.question(r["question_id"]).title(current())
            + (" " + _("(narrowly)") if narrow(r["clears_interval"]) else "")
            for _i, r in reached.iterrows()
        ]
        return [
            _(
                "By the rules declared in advance, the panel agrees on {reached} of {total} "
                "statements: {titles}."
            ).format(reached=len(reached), total=len(table), titles="; ".join(titles))
        ]

    def trend_findings(self) -> list[str]:
        """Return the largest detectable changes since the previous wave, or say there are none."""
        if not self.has_earlier_waves:
            return []
        return trend_findings(self.codebook, self.read_output(CHANGES), MAX_TREND_FINDINGS)

    def bases(self) -> list[int]:
        """Return the bases of the questions with data (open-ended text aside)."""
        bases = self.clean_report["bases"]
        return [
            bases[q.id] for q in self.codebook.questions if not q.kind.open_text and bases[q.id]
        ]

    def masthead_html(self, kicker: str) -> str:
        """Return the title block: kicker, title, questionnaire, facts and data notices."""
        w = self.wave
        notices = [
            _("SYNTHETIC data generated for testing: these numbers describe nothing real.")
            if w.is_synthetic
            else "",
            _(
                "Respondent-level data reconstructed from published percentages; see the "
                "methodology box."
            )
            if w.is_reconstructed
            else "",
        ]
        title = w.text("title", current())
        survey = self.codebook.title(current())
        subtitle = (  # the questionnaire's title, unless the wave's title already says it
            ""
            if survey.strip().casefold() in title.casefold()
            else f'<p class="subtitle">{escape(survey)}</p>'
        )
        facts = _("Wave {wave} · fieldwork {dates} · n = {n} experts · sponsor: {sponsor}").format(
            wave=w.id,
            dates=fmt_date_range(w.fieldwork_start, w.fieldwork_end),
            n=self.n_respondents,
            sponsor=w.text("sponsor", current()),
        )
        return (
            f'<p class="kicker">{escape(kicker)}</p>'
            f'<h1 class="title">{escape(title)}</h1>{subtitle}'
            f'<p class="facts">{escape(facts)}</p>'
            + "".join(f'<p class="notice">{escape(n)}</p>' for n in notices if n)
        )

    def cover_html(self) -> str:
        """Return the cover: title, wave, dates, sample size and key findings."""
        findings = _("Key findings")
        return (
            '<section class="cover">'
            + self.masthead_html(_("Expert survey briefing"))
            + f'<h2 class="findings-title">{escape(findings)}</h2>'
            f"{present.bullet_list(self.key_findings(), 'key-findings')}"
            "</section>"
        )

    def methodology_rows(self) -> list[tuple[str, str]]:
        """Return the AAPOR disclosure items as (item, text) pairs, computed where possible."""
        return methodology_rows(self)

    def methodology_html(self) -> str:
        """Return the methodology box."""
        heading = _("Methodology")
        return (
            f'<aside class="methodology"><h2>{escape(heading)}</h2>'
            f"{present.definition_table(self.methodology_rows(), 'disclosure')}</aside>"
        )

    def respondents_html(self) -> str:
        """Return who answered: group sizes of each profile question, open answers counted."""
        heading = _("Who answered")
        parts = [f'<section class="respondents"><h2>{escape(heading)}</h2>']
        profiles = [q for q in self.codebook.questions if q.kind.profile]
        for q in profiles:
            if catalogue.has(self.output_dir, f"profile_{q.id}"):
                table = catalogue.read(self.output_dir, f"profile_{q.id}")
                parts.append(present.profile_html(table, q, self.n_respondents))
            else:
                empty = _("{title}: no answers in this wave's data.").format(
                    title=q.title(current())
                )
                parts.append(present.paragraph([empty]))
        texts = [q for q in self.codebook.questions if q.kind.open_text]
        if texts:
            parts.append(
                present.paragraph(
                    [
                        narrative.open_answers_sentence(
                            q,
                            self.clean_report["bases"][q.id],
                            self.n_respondents,
                            self.clean_report.get("comments", {}).get(q.id),
                        )
                        for q in texts
                    ]
                )
            )
        return "".join(parts) + "</section>"

    @cached_property
    def analyst_items(self) -> list[checklist.Item]:
        """Return the analyst checklist of the wave (never shown in a reader document)."""
        return checklist.checklist(self, self.data_root)

    def checklist_frame(self) -> pd.DataFrame:
        """Return the analyst checklist as a table, open items first (for JupyterLab)."""
        frame = pd.DataFrame(checklist.as_records(self.analyst_items))
        if frame.empty:
            return frame
        return frame.sort_values("state", key=lambda s: s != checklist.OPEN, kind="stable")

    def write_checklist(self) -> list[Path]:
        """Write the checklist once: for the run (catalogue) and for the analyst (checklist.md)."""
        return [
            write_json_atomic(
                catalogue.results_dir(self.output_dir) / checklist.CHECKLIST_RESULT,
                checklist.as_records(self.analyst_items),
            ),
            write_text_atomic(
                self.output_dir / checklist.CHECKLIST_FILE,
                checklist.as_markdown(self.wave.id, self.analyst_items),
            ),
        ]

    def show(self, *parts: str) -> None:
        """Display the named parts ("cover", "methodology", "respondents"); with none, all."""
        html = {
            "cover": self.cover_html,
            "methodology": self.methodology_html,
            "respondents": self.respondents_html,
        }
        show_html(self.langs, lambda: [html[part]() for part in parts or tuple(html)])

    def show_brief(self) -> None:
        """Display the short brief (outputs tagged for brief.<lang>.html|pdf, not the report)."""
        show_html(self.langs, lambda: [brief_html(self)], doc=BRIEF_DOC)


def open_front(
    wave: str = "latest",
    data_root: str | Path = "../data",
    outputs_root: str | Path = "../outputs",
    langs: str = "en",
) -> FrontMatter:
    """Load what the front matter reads: the wave, its cleaning counts and the earlier results."""
    data_root = Path(data_root)
    wave_id = resolve_wave(data_root, wave)
    meta = load_wave(data_root, wave_id)
    codebook = load_codebook(data_root, meta.codebook_version)
    front = FrontMatter(
        codebook=codebook,
        wave=meta,
        clean_report=load_clean_report(wave_output_dir(Path(outputs_root), wave_id), wave_id),
        publication=load_published_if_any(data_root, wave_id, codebook),
        output_dir=wave_output_dir(Path(outputs_root), wave_id),
        has_earlier_waves=any(w < wave_id for w in list_waves(data_root)),
        earlier_waves=tuple(load_wave(data_root, w) for w in list_waves(data_root) if w < wave_id),
        langs=parse_langs(langs),
        data_root=data_root,
    )
    front.write_checklist()
    return front
