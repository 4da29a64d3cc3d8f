"""What a question type is and may do, and the registry the layers look types up in.

A question type is one module of ``surveybrief.question_types`` defining a ``KIND``: an
instance of ``QuestionKind`` (or of a subclass overriding its hooks), registered by name when
the package is imported. The layers ask a question's ``kind`` its traits instead of comparing
type names, and call its hooks where a type reads, checks, tabulates, describes or charts its
answers otherwise than the layers' common way. The interface lives here, below every layer;
the types live above the layers whose helpers they use, and are handed down by registration
(as papermill registers its engines and I/O handlers), so no layer imports a type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

#: Every registered type by name (``register_kind``), filled when ``surveybrief`` is imported.
_KINDS: dict[str, QuestionKind] = {}
#: The same, ordered by ``QuestionKind.order`` (made again after a registration).
_ORDERED: dict[str, QuestionKind] = {}


@dataclass(frozen=True)
class QuestionKind:
    """One question type: its traits, and hooks whose defaults are the layers' common way.

    ``several``: each respondent may choose several options (a 0/1 column per option);
    ``ordered``: the options are the points of a scale, coded by integers;
    ``ranked``: each respondent ranks the options (the top k of n): a column per option
    holding its rank, 0 where not ranked;
    ``open_text``: free text, coded into themes (no options);
    ``profile``: says who the respondent is (Who answered; the groups of breakdowns);
    ``tabulated``: a frequency table with bases and intervals; ``trended``: compared across
    waves; ``broken_down``: broken down by profile groups in the chapters; ``headline``: may
    lead the cover and be kept from exploring; ``groups``: may group a cross-tab in JupyterLab;
    ``order`` places it in lists (errors, documentation).
    """

    name: str
    several: bool = False
    ordered: bool = False
    ranked: bool = False
    open_text: bool = False
    profile: bool = False
    tabulated: bool = True
    trended: bool = True
    broken_down: bool = False
    headline: bool = False
    groups: bool = False
    order: int = 99
    #: Codebook keys only this type's entries may hold (read by ``codebook_fields``).
    keys: frozenset[str] = frozenset()
    #: The name suffix of the summary table ``summarise`` gives (``tables/<q>_<suffix>.csv``).
    summary_suffix: str = ""
    #: Why a question of this type is not cross-tabulated in JupyterLab ("": it may be).
    not_crossed: str = ""

    @property
    def needs_options(self) -> bool:
        """Whether a question of this type must list its options in the codebook."""
        return not self.open_text

    @property
    def one_of_nominal(self) -> bool:
        """Whether each respondent gives one of unordered options (shares sum to 100)."""
        return not (self.several or self.ordered or self.ranked or self.open_text)

    @property
    def per_option(self) -> bool:
        """Whether an answer is a column per option (ticks, or ranks), not one code."""
        return self.several or self.ranked

    def problem(self, codes: list[str], none_marked: bool) -> tuple[str, object] | None:
        """Return what is wrong with a question's options for this type and the value, or None."""
        if self.needs_options and not codes:
            return f"a {self.name} question needs options", None
        if none_marked and not self.several:
            return "is_none marks the “None of these” box of a multi-select question", self.name
        if self.ordered and not all(c.lstrip("-").isdigit() for c in codes):
            return f"{self.name} codes must be integers", codes
        return None

    def places(self, question) -> int:
        """Return how many places a respondent fills (a ranking's ranks; 0: no places)."""
        return 0

    # Hooks (inputs): the codebook entry.
    def codebook_fields(self, entry: dict, n_options: int, *, file: Path, where: str) -> dict:
        """Return the ``Question`` fields this type reads from its own ``keys`` of an entry."""
        return {}

    # Hooks (clean): reading the export's cells, and checking a respondent's answers.
    def convert_column(self, converter, header: str, target, values, distinct) -> bool:
        """Read one export column of this type's question into ``converter``, or say no.

        False: the common way (one code per cell, a tick per option column, several in a cell).
        """
        return False

    def finish_conversion(self, frame, question) -> list[dict]:
        """Complete a question's converted columns in ``frame``; return decisions taken."""
        return []

    def allowed_cells(self, question) -> dict[str, list[str]] | None:
        """Return, per column, the texts a valid answer holds; None: the common rule."""
        return None

    def row_problems(self, frame, question) -> list[dict]:
        """Return the quarantine rows of answers no cell check can see (across columns)."""
        return []

    def reports_itself(self, question, column: str, value: str) -> bool:
        """Whether a cell the schema refuses is reported by ``row_problems`` instead."""
        return False

    # Hooks (analysis): tables.
    def tabulate(self, responses, question, lang: str):
        """Return the question's table (``analysis.tabulate.QuestionTable``); None: common."""
        return None

    def summarise(self, responses, question):
        """Return a summary beside the table (with ``frame()``), or None: none."""
        return None

    # Hooks (brief): words and charts, in the current language.
    def headline_sentence(self, question, values: dict, base: int) -> str | None:
        """Return the sentence on the most chosen option; None: the common sentence."""
        return None

    def describe(self, summary) -> list[str]:
        """Return the sentences on ``summarise``'s summary."""
        return []

    def summary_caption(self, label: str, title: str) -> str:
        """Return the caption of ``summarise``'s table: table ``label``a ("": unnumbered)."""
        return title

    def summary_html(self, summary, caption: str) -> str:
        """Return ``summarise``'s summary as a table."""
        return ""

    def table_note(self, question) -> str | None:
        """Return what the frequency table's counts are, where not the common reading."""
        return None

    def axis_label(self, question) -> str | None:
        """Return what a bar's length is, where not the common "% of respondents"."""
        return None

    def alt_text(self, question, values: dict) -> str | None:
        """Return the chart's alternative text, where the bars are not the common shares."""
        return None


def register_kind(kind: QuestionKind) -> None:
    """Register a question type under its name (refusing a second type of the same name)."""
    if kind.name in _KINDS and _KINDS[kind.name] is not kind:
        raise ValueError(f"question type {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    _ORDERED.clear()


def question_kinds() -> Mapping[str, QuestionKind]:
    """Return every registered question type by name, in their declared order.

    Kept once ordered (every ``q.kind`` asks): a registration starts it again.
    """
    if len(_ORDERED) != len(_KINDS):
        _ORDERED.clear()
        _ORDERED.update(sorted(_KINDS.items(), key=lambda item: (item[1].order, item[0])))
    return MappingProxyType(_ORDERED)
