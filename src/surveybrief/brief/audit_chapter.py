"""What the audit notebook (90_audit) calls: run the audit, write its tables, display them."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from surveybrief import catalogue
from surveybrief.analysis.audit import MAX_SEARCH_BASE, Audit, audit_wave, figures_not_reproducible
from surveybrief.analysis.uncertain_base import feasible_bases
from surveybrief.brief import present
from surveybrief.brief.display import parse_langs, show_html
from surveybrief.brief.i18n import N_, _, current, fmt_decimal
from surveybrief.clean.processed import load_cleaned_wave
from surveybrief.config import published_path, resolve_wave, wave_output_dir
from surveybrief.inputs.codebook import Codebook
from surveybrief.inputs.published import Publication

#: How each audit status reads in the appendix's table.
STATUS = {"match": N_("match"), "mismatch": N_("mismatch"), "unattainable": N_("unattainable")}

#: The tables this step writes (the front matter reads the first two).
REPRODUCTION, FIGURES, QUESTIONS = "reproduction", "audit_figures", "audit_questions"


def audit_summary(audit: Audit, publication: Publication, codebook: Codebook) -> list[str]:
    """Return the audit's findings in plain sentences, computed from the audit tables.

    Each sentence says exactly what is impossible: a figure on its own, a question's figures
    together (with the smallest base that fits them all), or whole counts of the base the data
    give the question.
    """
    sentences = [
        _(
            "Of the {total} percentages published, {matched} are reproduced exactly, {differ} "
            "differ from the computed figure and {unattainable} cannot be whole counts of the "
            "base their question has in the data."
        ).format(
            total=len(audit.reproduction),
            matched=audit.count("match"),
            differ=audit.count("mismatch"),
            unattainable=audit.count("unattainable"),
        )
    ]
    unattainable = audit.reproduction[audit.reproduction["status"] == "unattainable"]
    for qid, group in unattainable.groupby("question_id", sort=False):
        sentences += _question_findings(audit, publication, codebook, qid, group)
    return sentences + _fewer_than_stated(audit, codebook)


#: Why published figures can be impossible as whole counts; the article rarely says which.
_WHY = N_(
    "They may come from weighting, averaging, different bases per figure or a transcription "
    "error; the source does not say."
)


def _question_findings(audit, publication, codebook, qid: str, group) -> list[str]:
    """Return what is impossible about one question's figures that the data's base cannot give."""
    printed = {f.id: f.printed for f in publication.figures}
    q = audit.questions.set_index("question_id").loc[qid]
    title, base = codebook.question(qid).title(current()), int(group["base"].iloc[0])
    alone_ids = set(audit.impossible_alone["figure_id"]) & set(group["figure_id"])
    if alone_ids:
        alone = [printed[f] for f in group["figure_id"] if f in alone_ids]
        rest = [printed[f] for f in group["figure_id"] if f not in alone_ids]
        return [_impossible_alone(title, alone, rest, base, audit.n_stated)]
    missed = [printed[f] for f in group["figure_id"]]
    if pd.isna(q["largest_base_up_to_stated_n"]):
        every = [f.printed for f in publication.for_question(qid)]
        return [_impossible_together(title, every, missed, base, q, audit.n_stated)]
    return [
        _(
            "Not whole counts of the base in the data ({title}): {values} cannot be whole "
            "counts of {base} respondents; the question's published figures fit {bases}."
        ).format(title=title, values=", ".join(missed), base=base, bases=q["bases_up_to_stated_n"])
    ]


def _impossible_alone(title: str, alone: list, rest: list, base: int, n: int) -> str:
    """Say which figures no base up to ``n`` gives, and which others the data's base misses."""
    also = (
        " "
        + _("At the base in the data ({base}), {missed} cannot be reproduced either.").format(
            base=base, missed=", ".join(rest)
        )
        if rest
        else ""
    )
    return (
        _(
            "Impossible as printed ({title}): {values} — no whole number of respondents out "
            "of {n} or fewer gives such a figure, even on its own."
        ).format(title=title, values=", ".join(alone), n=n)
        + also
        + " "
        + _(_WHY)
    )


def _impossible_together(title: str, every: list, missed: list, base: int, q, n: int) -> str:
    """Say that a question's figures fit no one base up to ``n``, and the smallest that fits."""
    smallest = q["smallest_base_overall"]
    need = (
        _("the smallest that does is {smallest}").format(smallest=int(smallest))
        if pd.notna(smallest)
        else _("none up to {most} does").format(most=MAX_SEARCH_BASE)
    )
    return (
        _(
            "Impossible together ({title}): each of {values} is possible on its own, but no "
            "single number of respondents up to {n} gives them all at once; {need}. At the "
            "base in the data ({base}), {missed} cannot be reproduced."
        ).format(
            title=title,
            values=", ".join(every),
            n=n,
            need=need,
            base=base,
            missed=", ".join(missed),
        )
        + " "
        + _(_WHY)
    )


def _fewer_than_stated(audit: Audit, codebook: Codebook) -> list[str]:
    """Say which figures are possible only for fewer respondents than the stated sample."""
    sentences = []
    stated = audit.unattainable_at_stated
    only_stated = stated[stated["is_attainable_at_base"]]
    if not only_stated.empty:
        by_q = []
        fits = audit.questions.set_index("question_id")["bases_up_to_stated_n"]
        for qid, group in only_stated.groupby("question_id", sort=False):
            title = codebook.question(qid).title(current())
            by_q.append(
                _("{values} ({title}: possible with {bases} answers)").format(
                    values=", ".join(group["printed"]), title=title, bases=fits[qid]
                )
            )
        sentences.append(
            _(
                "A further {count} figures are impossible for exactly {n} respondents but "
                "possible for fewer: {figures}. This implies that fewer experts answered these "
                "questions than took part; the article gives no bases. The reconstruction uses "
                "the largest of these bases."
            ).format(count=len(only_stated), n=audit.n_stated, figures="; ".join(by_q))
        )
    return sentences


def assumed_base_note(publication: Publication | None, question, base: int, n_stated: int) -> str:
    """Say that a reconstructed question's base is assumed, when its figures fit other bases.

    The reconstruction takes the largest base up to the stated sample at which the question's
    published figures are whole counts; the counts and intervals shown rest on that choice.
    """
    bases = feasible_bases(publication, question, n_stated) if base else []
    if len(bases) < 2:
        return ""
    return _(
        "The base of {base} is the reconstruction's assumption: this question's published "
        "figures are whole counts of {bases} respondents alike; the counts and intervals shown "
        "are those at {base}."
    ).format(base=base, bases=", ".join(map(str, bases)))


def question_audit_notes(
    publication: Publication | None, result_table: pd.DataFrame, question_id: str, n_stated: int
) -> list[str]:
    """Return plain sentences on a question's published figures that whole counts cannot give.

    Shown next to the question's chart so a reader meets the problem where the number is.
    """
    impossible, only_stated = figures_not_reproducible(
        publication, result_table, question_id, n_stated
    )
    notes = []
    if impossible:
        printed = ", ".join(p for p, _b in impossible)
        notes.append(
            _(
                "Audit: the published {printed} cannot be whole counts of {base} respondents, "
                "the base here; the shares shown are the nearest whole counts. See Appendix A."
            ).format(printed=printed, base=impossible[0][1])
        )
    if only_stated:
        printed = ", ".join(p for p, _b in only_stated)
        notes.append(
            _(
                "Audit: the published {printed} is impossible for exactly {n} respondents but "
                "possible for {base}: fewer experts answered this question than took part. See "
                "Appendix A."
            ).format(printed=printed, n=n_stated, base=only_stated[0][1])
        )
    return notes


@dataclass
class AuditRun:
    """The audit of one wave, with the folder its tables go to."""

    codebook: Codebook
    publication: Publication
    audit: Audit
    output_dir: Path
    langs: tuple[str, ...] = ("en",)

    def write_tables(self) -> list[Path]:
        """Write reproduction.csv (DESIGN columns) and the per-figure and per-question detail."""
        return [
            *catalogue.publish(self.output_dir, REPRODUCTION, self.audit.reproduction),
            *catalogue.publish(self.output_dir, FIGURES, self.audit.detail),
            *catalogue.publish(self.output_dir, QUESTIONS, self.audit.questions),
        ]

    def title_html(self) -> str:
        """Return the appendix heading and what the audit tests."""
        n = self.audit.n_stated
        lead = _(
            "Each published percentage is tested for whether it can be a whole count k of its "
            "base n at the precision printed (granularity test), for the base in the data and "
            "for the stated sample of {n}, then compared with the figure computed from the "
            "data. Status: match, mismatch or unattainable."
        ).format(n=n)
        title = escape(_("Appendix A. Audit of the published figures"))
        heading = f'<h1 class="appendix">{title}</h1>'
        return f'{heading}<p class="lead">{escape(lead)}</p>'

    def summary_html(self) -> str:
        """Return the audit's findings in plain sentences."""
        sentences = audit_summary(self.audit, self.publication, self.codebook)
        return "".join(present.paragraph([s], "audit-finding") for s in sentences)

    def reproduction_frame(self) -> pd.DataFrame:
        """Return the reproduction table as shown to readers."""
        detail = self.audit.detail.set_index("figure_id")
        rows = []
        for r in self.audit.reproduction.itertuples(index=False):
            d = detail.loc[r.figure_id]
            q = self.codebook.question(r.question_id)
            rows.append(
                {
                    _("Figure"): r.figure_id,
                    _("Published as"): _("“{label}”").format(label=d["printed"])
                    + " — "
                    + q.option_label(r.option, current()),
                    _("Computed %"): "–"
                    if pd.isna(r.computed_pct)
                    else fmt_decimal(r.computed_pct, 1),
                    _("Base"): "–" if pd.isna(r.base) else str(int(r.base)),
                    _("Possible at n={n}").format(n=self.audit.n_stated): _("yes")
                    if d["is_attainable_at_stated_n"]
                    else _("no"),
                    _("Status"): _(STATUS[r.status]),
                }
            )
        return pd.DataFrame(rows)

    def reproduction_html(self) -> str:
        """Return the reproduction table with every figure's status."""
        return present.frame_html(
            self.reproduction_frame(),
            "audit figures",
            _("Table A.1. Published figures against the figures computed from the data"),
        )

    def questions_html(self) -> str:
        """Return, per question, the bases at which all its published figures are possible."""
        q = self.audit.questions
        frame = pd.DataFrame(
            {
                _("Question"): [
                    self.codebook.question(i).title(current()) for i in q["question_id"]
                ],
                _("Figures"): q["n_figures"],
                _("Sum %"): [fmt_decimal(v, 1) for v in q["published_sum"]],
                _("Bases ≤ {n} that fit all").format(n=self.audit.n_stated): [
                    _("none") if v == "none" else v for v in q["bases_up_to_stated_n"]
                ],
                _("Smallest base that fits"): [
                    _("none ≤ {n}").format(n=1000) if pd.isna(v) else str(int(v))
                    for v in q["smallest_base_overall"]
                ],
            }
        )
        return present.frame_html(
            frame,
            "audit bases",
            _("Table A.2. Bases consistent with each question's published figures"),
        )

    @property
    def reproduction(self) -> pd.DataFrame:
        """Return the reproduction table: each published figure against the computed one."""
        return self.audit.reproduction

    def show(self) -> None:
        """Display the whole appendix (in a notebook)."""
        show_html(
            self.langs,
            lambda: [
                self.title_html() + self.summary_html(),
                self.reproduction_html(),
                self.questions_html(),
            ],
        )


def open_audit(
    wave: str = "latest",
    data_root: str | Path = "../data",
    outputs_root: str | Path = "../outputs",
    langs: str = "en",
) -> AuditRun:
    """Audit a cleaned wave against its published figures; write the audit tables."""
    from surveybrief.exceptions import InputError

    wave_id = resolve_wave(Path(data_root), wave)
    cleaned = load_cleaned_wave(data_root, wave_output_dir(Path(outputs_root), wave_id), wave_id)
    if cleaned.publication is None:
        raise InputError(
            "no published figures for this wave",
            file=published_path(Path(data_root), cleaned.wave.id),
        )
    run = AuditRun(
        codebook=cleaned.codebook,
        publication=cleaned.publication,
        audit=audit_wave(
            cleaned.codebook, cleaned.publication, cleaned.responses, cleaned.wave.n_stated
        ),
        output_dir=wave_output_dir(Path(outputs_root), cleaned.wave.id),
        langs=parse_langs(langs),
    )
    run.write_tables()
    return run
