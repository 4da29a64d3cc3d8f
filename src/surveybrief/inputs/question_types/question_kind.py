"""What a question type declares, and the registry of the types this package defines."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class QuestionKind:
    """One question type and its traits (what the layers ask instead of comparing names).

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
        if self.ranked and len(codes) < 3:
            return f"a {self.name} question ranks three options or more", codes
        if none_marked and not self.several:
            return "is_none marks the “None of these” box of a multi-select question", self.name
        if self.ordered and not all(c.lstrip("-").isdigit() for c in codes):
            return f"{self.name} codes must be integers", codes
        return None


@cache
def question_kinds() -> dict[str, QuestionKind]:
    """Return every registered question type by name, in the order of their modules."""
    import surveybrief.inputs.question_types as package

    modules = [i.name for i in pkgutil.iter_modules(package.__path__) if i.name != "question_kind"]
    kinds = [importlib.import_module(f"{package.__name__}.{name}").KIND for name in modules]
    return {k.name: k for k in sorted(kinds, key=lambda k: (k.order, k.name))}
