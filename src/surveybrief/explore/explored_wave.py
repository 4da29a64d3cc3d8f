"""One wave as data for an analyst: cleaned, its questions, and the views on it.

``wave()`` reads a run's cleaned data when they were made from the current inputs, or else
cleans the raw export exactly as 00_clean does (``clean.cleaner.clean_wave``: personal columns
dropped, ids pseudonymised, open answers scrubbed) and keeps the result in memory: a notebook
that explores writes nothing. A wave is loaded once per process while its inputs (the export,
wave.yaml, the codebook) are unchanged; a changed file is read again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from surveybrief.analysis.breakdowns import breakdown
from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.analysis.trends import compute_trends
from surveybrief.clean.cleaner import clean_wave
from surveybrief.clean.panel_key import existing_key, fingerprint
from surveybrief.clean.processed import CleanedWave, load_clean_report, load_processed
from surveybrief.config import codebook_dir, list_waves, raw_dir, resolve_wave, wave_output_dir
from surveybrief.exceptions import InputError
from surveybrief.explore.views import ComparisonView, CrossTabView, Said, TableView
from surveybrief.inputs.codebook import Codebook, Question, load_codebook
from surveybrief.inputs.digest import wave_inputs_digest
from surveybrief.inputs.published import load_published_if_any
from surveybrief.inputs.wave import load_wave

_CACHE: dict[tuple, ExploredWave] = {}


def wave_ids(data_root: str | Path = "../data") -> list[str]:
    """Return the waves under ``data_root/raw``, oldest first."""
    return list_waves(Path(data_root))


def _signature(data_root: Path, wave_id: str) -> tuple:
    """Return what identifies a wave's inputs: each file's name, size and modification time."""
    files = [
        *raw_dir(data_root, wave_id).rglob("*"),
        *codebook_dir(data_root).glob("*.yaml"),
        *(Path(data_root) / "published").glob(f"{wave_id}.*"),
    ]
    return tuple(
        sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.is_file())
    )


def wave(
    wave: str = "latest", data_root: str | Path = "../data", outputs_root: str | Path | None = None
) -> ExploredWave:
    """Return a wave as data (``"latest"``, or an id such as ``"2025-06"``), writing nothing.

    With ``outputs_root``, the run's cleaned data are read when they were made from the inputs
    as they are now (the clean report's digest); otherwise, and when they were not, the raw
    export is cleaned in memory, as 00_clean cleans it.
    """
    root = Path(data_root).resolve()
    wave_id = resolve_wave(root, wave)
    secret = existing_key()  # another panel key links others: the wave is read again
    key = (root, wave_id, _signature(root, wave_id), secret and fingerprint(secret))
    if key not in _CACHE:
        for old in [k for k in _CACHE if k[:2] == key[:2]]:  # one version of a wave is kept
            del _CACHE[old]
        meta = load_wave(root, wave_id)
        codebook = load_codebook(root, meta.codebook_version)
        responses = _processed(root, outputs_root, wave_id, codebook)
        if responses is None:  # a panel is linked with the key the runs use, never a new one
            secret = existing_key() if meta.panel_link else None
            responses = clean_wave(meta, codebook, secret).responses
        publication = load_published_if_any(root, wave_id, codebook)
        _CACHE[key] = ExploredWave(root, CleanedWave(meta, codebook, responses, publication))
    return _CACHE[key]


def _processed(root: Path, outputs_root, wave_id: str, codebook: Codebook):
    """Return the run's cleaned responses if made from the current inputs, else None."""
    if outputs_root is None:
        return None
    run_dir = wave_output_dir(Path(outputs_root), wave_id)
    try:
        report = load_clean_report(run_dir, wave_id)
        responses = load_processed(run_dir, wave_id)
    except (InputError, OSError, ValueError):
        return None
    current = wave_inputs_digest(raw_dir(root, wave_id), codebook.path)
    return responses if report.get("inputs_sha256") == current else None


@dataclass
class ExploredWave:
    """A cleaned wave, and what an analyst asks of it: tables, cross-tabs, comparisons."""

    data_root: Path
    data: CleanedWave
    _comparisons: dict = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        said = " (RECONSTRUCTED)" if self.is_reconstructed else ""
        return f"<wave {self.id}{said}: {len(self.responses)} respondents>"

    @property
    def id(self) -> str:
        """Return the wave's id (YYYY-MM)."""
        return self.data.wave.id

    @property
    def codebook(self) -> Codebook:
        """Return the codebook version the wave was asked with."""
        return self.data.codebook

    @property
    def responses(self) -> pd.DataFrame:
        """Return the pseudonymised responses: one row per respondent, codes as the codebook's."""
        return self.data.responses

    @property
    def is_reconstructed(self) -> bool:
        """Return True if the respondent-level data were rebuilt from published percentages."""
        return self.data.wave.is_reconstructed

    @property
    def questions(self) -> pd.DataFrame:
        """Return every question: id, section, type, title, and how many answered it."""
        rows = [
            {
                "question_id": q.id,
                "section": q.section_id,
                "type": q.type,
                "title": q.title("en"),
                "answered": int(self.responses[q.columns].notna().any(axis=1).sum()),
            }
            for q in self.codebook.questions
        ]
        return pd.DataFrame(rows).set_index("question_id")

    def question(
        self, question_id: str, trait: str = "tabulated", column: str = "question"
    ) -> Question:
        """Return a question of the wave's codebook whose type has ``trait``; say which fit.

        ``tabulated``: any with options (a table); ``groups``: one answer each, what a
        cross-tab breaks down by (``question_types``).
        """
        fitting = [q.id for q in self.codebook.questions if getattr(q.kind, trait)]
        if question_id not in fitting:
            raise InputError(
                "no such question to show here",
                file=self.codebook.path,
                column=column,
                value=question_id,
                expected="one of " + ", ".join(fitting),
            )
        return self.codebook.question(question_id)

    def table(self, question_id: str) -> TableView:
        """Return a question's table: counts, bases, % and 95% Wilson intervals.

        With the summary its type gives beside it (a ranking's mean ranks and first places).
        """
        q = self.question(question_id)
        summary = q.kind.summarise(self.responses, q)
        return TableView(tabulate_question(self.responses, q), self.data.wave, summary)

    def crosstab(self, question_id: str, by: str) -> CrossTabView:
        """Return a question by the groups of another (a profile or any one-answer question).

        The briefing's disclosure rule applies: a group of fewer than 5 shows nothing of
        itself, and whatever would reveal one is hidden too — against a reader who knows what
        a profile table shows. By another question, whose own table prints every group's
        size, that protection does not hold: such cross-tabs are for exploring, and only
        breakdowns by a profile can be kept for the briefing (``brief.kept``).
        """
        q = self.question(question_id)
        groups = self.question(by, "groups", "by")
        if self.is_reconstructed:
            raise InputError(
                "a reconstructed wave cannot be cross-tabulated: its respondents were rebuilt "
                "question by question from published percentages, so how their answers to two "
                "questions pair up is an artefact of the reconstruction, not what experts said",
                file=self.data.wave.path,
                column="is_reconstructed",
                value="true",
                expected="a wave with respondent-level data",
            )
        if q.kind.not_crossed:
            raise InputError(
                q.kind.not_crossed,
                file=self.codebook.path,
                column=question_id,
                value=q.type,
                expected="its table (table), or a question of another type",
            )
        if groups.id == q.id:
            raise InputError(
                "a question cannot be broken down by itself",
                file=self.codebook.path,
                column="by",
                value=by,
                expected="another question: " + ", ".join(self.by_choices()),
            )
        found = breakdown(self.responses, q, groups)
        return CrossTabView(found, self.data.wave)

    def example(self, section: str | None = None) -> CrossTabView | TableView | Said:
        """Return a worked cross-tab: a question of ``section`` (any) by a profile with answers.

        The first question with answers by the first profile with answers that is not itself;
        its table when the wave has no such profile (or is reconstructed); a sentence when
        no question of it has answers.
        """
        sections = {s.id: s for s in self.codebook.sections}
        if section and section not in sections:
            raise InputError("no such section", file=self.codebook.path, column="section",
                             value=section, expected="one of " + ", ".join(sections))  # fmt: skip
        pool = sections[section].questions if section else self.codebook.questions
        questions = [q.id for q in pool if q.kind.tabulated and self._answered(q.id)]
        if not questions:
            return Said(f"No question {f'of {section} ' if section else ''}has answers to show.")
        profiles = [
            q.id for q in self.codebook.questions if q.kind.profile and self._answered(q.id)
        ]
        crossed = [q for q in questions if not self.question(q).kind.not_crossed]
        for qid in [] if self.is_reconstructed else crossed:
            for by in (p for p in profiles if p != qid):
                return self.crosstab(qid, by)
        return self.table(questions[0])

    def _answered(self, question_id: str) -> bool:
        columns = self.codebook.question(question_id).columns
        return bool(self.responses[columns].notna().any().any())

    def by_choices(self) -> list[str]:
        """Return the questions a cross-tab can break down by (profiles first)."""
        found = sorted(
            (q for q in self.codebook.questions if q.kind.groups),
            key=lambda q: not q.kind.profile,
        )
        return [q.id for q in found]

    def compare(self, question_id: str, with_wave: str | None = None) -> ComparisonView:
        """Return a question's shares in an earlier wave and this one, and the tested changes.

        ``with_wave``: the earlier wave (default: the one before). The tests are the trends
        chapter's (Newcombe intervals, Fisher's exact test, Holm over every comparison between
        the two waves, bases a reconstruction allows; on a linked panel, the tests on its pairs
        with the test named per row), so a change called detectable here is one the briefing
        would call so when it compares the same two waves.
        """
        q = self.question(question_id)
        earlier = self._earlier(with_wave)
        if earlier not in self._comparisons:
            other = wave(earlier, self.data_root).data
            codebooks = {c.version: c for c in (other.codebook, self.codebook)}
            self._comparisons[earlier] = compute_trends(self.data, [other], codebooks)
        return ComparisonView(self._comparisons[earlier], q, earlier)

    def _earlier(self, with_wave: str | None) -> str:
        earlier = [w for w in wave_ids(self.data_root) if w < self.id]
        if with_wave is None and earlier:
            return earlier[-1]
        if with_wave in earlier:
            return with_wave
        raise InputError(
            "no earlier wave to compare with",
            file=raw_dir(self.data_root, self.id).parent,
            column="with_wave",
            value=with_wave or "(the one before)",
            expected="one of " + ", ".join(earlier) if earlier else "an earlier wave under raw/",
        )
