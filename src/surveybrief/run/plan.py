"""The pipeline as declared in ``notebooks/pipeline.yaml``: steps, what they need, when they run.

Nothing is inferred from file names: each step names its notebook, the steps whose outputs it
reads (``needs``: their products are part of its cache key), when it runs (``when``) and its
place in the briefing (``place``). ``load_plan`` checks the file and returns the steps that run
for one wave, in declared order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from surveybrief.config import PLAN_FILE
from surveybrief.exceptions import InputError
from surveybrief.inputs.yamlio import load_yaml, require

WHEN = ("always", "earlier_waves", "published_figures", "consensus_declared")
PLACES = ("front", "chapter", "appendix", "none")
#: What a step may run once per: its parameter, and what the runs are named after.
FOR_EACH = {"chapter": "section", "open_question": "question"}
STEP_KEYS = {"notebook", "needs", "when", "place", "for_each"}


@dataclass(frozen=True)
class Step:
    """One notebook of the pipeline, or one run of it (a notebook run once per chapter)."""

    name: str
    path: Path
    #: Extra parameters of this run (``section`` for a notebook run per chapter).
    parameters: tuple[tuple[str, str], ...] = ()
    needs: tuple[str, ...] = ()
    when: str = "always"
    place: str = "chapter"
    #: "chapter": run once per chapter section of the wave's codebook (parameter ``section``).
    for_each: str | None = None

    @property
    def notebook(self) -> str:
        """Return the declared notebook's name (what ``needs`` refer to)."""
        return self.path.stem

    @property
    def executed_name(self) -> str:
        """Return the file name of this step's executed copy."""
        return f"{self.name}.ipynb"


@dataclass(frozen=True)
class Plan:
    """The steps that run for one wave, in declared order."""

    steps: tuple[Step, ...]

    @property
    def paths(self) -> list[Path]:
        """Return the notebooks of the steps."""
        return [s.path for s in self.steps]

    def step(self, name: str) -> Step:
        """Return the step called ``name``."""
        return next(s for s in self.steps if s.name == name)

    def needs(self, step: Step) -> list[str]:
        """Return the steps ``step`` waits for (those that run this time; every chapter's run)."""
        return [s.name for s in self.steps if s.notebook in step.needs]

    def upstream(self, step: Step) -> list[str]:
        """Return every step ``step`` waits for, directly or not, in plan order."""
        found, todo = set(), list(self.needs(step))
        while todo:
            name = todo.pop()
            if name not in found:
                found.add(name)
                todo += self.needs(self.step(name))
        return [s.name for s in self.steps if s.name in found]

    def briefing_order(self) -> list[Step]:
        """Return the steps whose output forms the briefing: front, chapters, appendix."""
        return [
            s for place in ("front", "chapter", "appendix") for s in self.steps if s.place == place
        ]

    def stages(self) -> list[list[Step]]:
        """Return the steps in waves: each holds the steps whose needs are met by earlier waves."""
        done: set[str] = set()
        stages = []
        while len(done) < len(self.steps):
            ready = [s for s in self.steps if s.name not in done and set(self.needs(s)) <= done]
            stages.append(ready)
            done |= {s.name for s in ready}
        return stages


def _tuple(entry: dict, key: str, *, file: Path, where: str) -> tuple[str, ...]:
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: {key} must be a list of names", file=file, value=value)
    return tuple(value)


def _choice(entry: dict, key: str, default: str, allowed: tuple, *, file: Path, where: str) -> str:
    value = str(entry.get(key, default))
    if value not in allowed:
        raise InputError(
            f"{where}: unknown {key}", file=file, value=value, expected=" | ".join(allowed)
        )
    return value


def _parse_step(entry: object, notebooks_dir: Path, file: Path, number: int) -> Step:
    where = f"step {number}"
    notebook = require(entry, "notebook", file=file, where=where, kind=str)
    unknown = sorted(set(entry) - STEP_KEYS)
    if unknown:
        raise InputError(
            f"{where}: unknown keys",
            file=file,
            value=unknown,
            expected=", ".join(sorted(STEP_KEYS)),
        )
    path = notebooks_dir / notebook
    relative = Path(notebook)
    if relative.is_absolute() or ".." in relative.parts or not path.is_file():
        raise InputError(
            f"{where}: notebook not found",
            file=file,
            value=notebook,
            expected=f"a file in {notebooks_dir}",
        )
    return Step(
        name=path.stem,
        path=path,
        needs=_tuple(entry, "needs", file=file, where=where),
        when=_choice(entry, "when", "always", WHEN, file=file, where=where),
        place=_choice(entry, "place", "chapter", PLACES, file=file, where=where),
        for_each=None
        if entry.get("for_each") is None
        else _choice(entry, "for_each", "chapter", tuple(FOR_EACH), file=file, where=where),
    )


def read_plan(notebooks_dir: Path) -> Plan:
    """Read and check ``pipeline.yaml`` of a notebooks folder: every step, whatever the wave."""
    file = Path(notebooks_dir) / PLAN_FILE
    doc = load_yaml(file)
    entries = require(doc, "steps", file=file, where="pipeline", kind=list)
    steps = [_parse_step(e, Path(notebooks_dir), file, i) for i, e in enumerate(entries, 1)]
    names = [s.name for s in steps]
    for i, step in enumerate(steps):
        later = [n for n in step.needs if n not in names[:i]]
        if later:
            raise InputError(
                f"step {step.name} needs steps that are not declared before it",
                file=file,
                value=later,
                expected=f"names of earlier steps: {', '.join(names[:i]) or 'none'}",
            )
    if len(set(names)) != len(names):
        raise InputError("a notebook is declared twice", file=file, value=names)
    return Plan(tuple(steps))


def _expand(step: Step, runs: dict[str, list[str]]) -> list[Step]:
    """Return the runs of a step: one per chapter (or open question) for ``for_each``."""
    if step.for_each is None:
        return [step]
    parameter = FOR_EACH[step.for_each]
    return [
        replace(step, name=f"{step.name}-{run}", parameters=((parameter, run),))
        for run in runs.get(step.for_each, [])
    ]


def load_plan(
    notebooks_dir: Path,
    *,
    has_earlier_waves: bool,
    has_published: bool,
    chapters: list[str],
    open_questions: list[str] = (),
    has_consensus: bool = False,
) -> Plan:
    """Return the steps that run for a wave: conditions decided by what the data root holds.

    A step run per chapter becomes one step per chapter section of the wave's codebook
    (``chapters``, in codebook order), named ``<notebook>-<section>``; one run per open question
    likewise (``open_questions``: text questions and "Other" texts with a frame).
    ``has_consensus``: the wave's codebook declares consensus on a rating statement.
    """
    holds = {"always": True, "earlier_waves": has_earlier_waves,
             "published_figures": has_published, "consensus_declared": has_consensus}  # fmt: skip
    steps = [s for s in read_plan(notebooks_dir).steps if holds[s.when]]
    runs = {"chapter": list(chapters), "open_question": list(open_questions)}
    return Plan(tuple(run for s in steps for run in _expand(s, runs)))


@cache
def declared_parameters(path: Path) -> frozenset[str]:
    """Return the names a notebook's ``parameters`` cell declares."""
    import papermill

    return frozenset(papermill.inspect_notebook(str(path)))


def check_parameters(notebooks: list[Path], parameters: dict) -> None:
    """Refuse parameters a notebook does not declare in its ``parameters`` cell."""
    for path in notebooks:
        declared = set(declared_parameters(path))
        unknown = sorted(set(parameters) - declared)
        if unknown:
            raise InputError(
                "notebook does not declare these parameters",
                file=path,
                column=", ".join(unknown),
                expected=f"one of {sorted(declared)}",
            )
