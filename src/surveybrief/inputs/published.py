"""Figures as published (``data/published/<wave>.yaml``), checked against the codebook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from surveybrief.config import published_path
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook
from surveybrief.inputs.yamlio import load_yaml, require


@dataclass(frozen=True)
class Figure:
    """A published percentage: its option, value as printed and number of printed decimals."""

    option: str
    value: float
    precision: int


@dataclass(frozen=True)
class PublishedFigure:
    """One percentage as printed in the source."""

    id: str
    question_id: str
    option: str
    value: float
    precision: int
    printed: str
    wording: str
    quote: str

    @property
    def figure(self) -> Figure:
        """Return the bare figure used by the granularity test."""
        return Figure(self.option, self.value, self.precision)


@dataclass(frozen=True)
class Publication:
    """The source of a wave's published figures."""

    wave: str
    source: dict
    figures: tuple[PublishedFigure, ...]
    path: Path

    def for_question(self, question_id: str) -> list[PublishedFigure]:
        """Return the figures of one question, in publication order."""
        return [f for f in self.figures if f.question_id == question_id]


def load_published(data_root: Path, wave: str, codebook: Codebook) -> Publication:
    """Load a wave's published figures; each must name a codebook question and option."""
    path = published_path(data_root, wave)
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise InputError("published figures file is not a mapping", file=path)
    figures = []
    for i, raw in enumerate(require(doc, "figures", file=path, where="file", kind=list), 1):
        where = f"figure {i}"
        fid = str(require(raw, "id", file=path, where=where))
        qid = str(require(raw, "question_id", file=path, where=fid))
        option = str(require(raw, "option", file=path, where=fid))
        try:
            question = codebook.question(qid)
            question.option(option)
        except KeyError as exc:
            raise InputError(
                f"{fid}: {exc.args[0]}",
                file=path,
                column="question_id/option",
                value=f"{qid}/{option}",
                expected="a question and option of the codebook",
            ) from exc
        value = require(raw, "value", file=path, where=fid, kind=(int, float))
        precision = require(raw, "precision", file=path, where=fid, kind=int)
        if not 0 <= value <= 100 or precision < 0:
            raise InputError(
                f"{fid}: value or precision out of range",
                file=path,
                value=(value, precision),
                expected="0 <= value <= 100, precision >= 0",
            )
        figures.append(
            PublishedFigure(
                id=fid,
                question_id=qid,
                option=option,
                value=value,
                precision=precision,
                printed=str(require(raw, "printed", file=path, where=fid)),
                wording=str(raw.get("wording", "")),
                quote=str(raw.get("quote", "")),
            )
        )
    ids = [f.id for f in figures]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError("duplicate figure ids", file=path, value=dupes)
    return Publication(
        wave=str(doc.get("wave", wave)),
        source=dict(doc.get("source") or {}),
        figures=tuple(figures),
        path=path,
    )


def load_published_if_any(data_root: Path, wave: str, codebook: Codebook) -> Publication | None:
    """Return the wave's published figures, or None when the wave has none."""
    if not published_path(data_root, wave).is_file():
        return None
    return load_published(data_root, wave, codebook)
