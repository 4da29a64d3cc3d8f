"""Pickers for notebooks/explore.ipynb: choose a wave, a question, a breakdown, a wave to compare.

``Pickers(data_root)`` holds four ipywidgets drop-downs and one output area; any change redraws
the chart and the table of what is picked (a cross-tab when a breakdown is picked, a comparison
when an earlier wave is picked, else the question's table) and records how long that took
(``last_redraw_s``, measured in ``make bench``). The changes from the wave before are tested
in the background when a wave is opened, so that the first comparison redraws as fast as the
rest. The pickers only read: nothing is written.
"""

from __future__ import annotations

import threading
import time
from html import escape
from pathlib import Path

from surveybrief.explore.explored_wave import ExploredWave, wave, wave_ids
from surveybrief.inputs.question_kind import question_kinds

#: The drop-down value meaning "none" (no breakdown, no comparison).
NONE = "(none)"


class Pickers:
    """The four pickers, the output they redraw, and what was last shown."""

    def __init__(
        self, data_root: str | Path = "../data", wave_id: str = "latest", outputs_root=None
    ) -> None:
        import ipywidgets as widgets

        self.data_root, self.outputs_root = Path(data_root), outputs_root
        self.current: ExploredWave = wave(wave_id, self.data_root, outputs_root)
        ids = wave_ids(self.data_root)
        style = {"description_width": "initial"}
        self.wave = widgets.Dropdown(options=ids, value=self.current.id, description="Wave",
                                     style=style)  # fmt: skip
        self.question = widgets.Dropdown(description="Question", style=style)
        self.by = widgets.Dropdown(description="Break down by", style=style)
        self.compare = widgets.Dropdown(description="Compare with", style=style)
        self.output = widgets.Output()
        self.view = None
        self.last_redraw_s = 0.0
        self._filling = False
        self._fill()
        for picker in (self.question, self.by, self.compare):
            picker.observe(lambda _change: self.redraw(), names="value")
        self.wave.observe(lambda change: self.pick_wave(change["new"]), names="value")
        self._prepared: threading.Thread | None = None
        self._prepare()
        self.widget = widgets.VBox(
            [widgets.HBox([self.wave, self.question]), widgets.HBox([self.by, self.compare]),
             self.output]
        )  # fmt: skip

    def _fill(self) -> None:
        """Offer the current wave's questions, breakdowns and earlier waves."""
        self._filling = True
        w = self.current
        tabulated = [t for t, kind in question_kinds().items() if kind.tabulated]
        shown = w.questions[w.questions["type"].isin(tabulated)]
        kept = self.question.value, self.by.value, self.compare.value
        self.question.options = [(f"{qid}: {r.title}", qid) for qid, r in shown.iterrows()]
        self.by.options = [NONE, *w.by_choices()]
        self.compare.options = [NONE, *[i for i in wave_ids(self.data_root) if i < w.id]]
        for picker, value in zip((self.question, self.by, self.compare), kept, strict=True):
            values = [o[1] if isinstance(o, tuple) else o for o in picker.options]
            picker.value = value if value in values else values[0]  # the same pick, if offered
        self._filling = False

    def pick_wave(self, wave_id: str) -> None:
        """Switch to another wave: its questions, breakdowns and earlier waves."""
        from IPython.display import HTML, display

        from surveybrief.exceptions import InputError

        try:
            self.current = wave(wave_id, self.data_root, self.outputs_root)
        except InputError as exc:  # a wave that cannot be read: said, the last one stays
            self.output.clear_output(wait=True)
            with self.output:
                display(HTML(f"<p>{escape(str(exc))}</p>"))
            return
        self._fill()
        self._prepare()
        self.redraw()

    def _prepare(self) -> None:
        """Test the changes from the wave before in the background (a comparison's one cost)."""
        earlier = [w for w in self.compare.options if w != NONE]
        if earlier and self.question.value is not None:
            current, qid = self.current, self.question.value
            self._prepared = threading.Thread(
                target=_quietly, args=(current.compare, qid, earlier[-1]), daemon=True
            )
            self._prepared.start()

    def ready(self) -> None:
        """Wait for what the pickers prepare in the background."""
        if self._prepared is not None:
            self._prepared.join()

    def pick(self, question: str, by: str = NONE, compare: str = NONE) -> None:
        """Set the question, breakdown and comparison pickers at once, then redraw once."""
        self._filling = True
        self.question.value, self.by.value, self.compare.value = question, by, compare
        self._filling = False
        self.redraw()

    def picked(self):
        """Return the view of what is picked: a comparison, a cross-tab, or the table."""
        qid = self.question.value
        if self.compare.value not in (None, NONE):
            return self.current.compare(qid, self.compare.value)
        if self.by.value not in (None, NONE) and self.by.value != qid:
            return self.current.crosstab(qid, self.by.value)
        return self.current.table(qid)

    def redraw(self) -> None:
        """Show the chart and the table of what is picked; time it."""
        from IPython.display import HTML, display

        if self._filling:
            return
        from surveybrief.exceptions import InputError

        start = time.perf_counter()
        try:
            self.view = self.picked()
            shown = [self.view.chart(), HTML(self.view._repr_html_())]
        except InputError as exc:  # a pick the data cannot answer: say why, keep the pickers
            self.view, shown = None, [HTML(f"<p>{escape(str(exc))}</p>")]
        self.output.clear_output(wait=True)
        with self.output:
            display(*(s for s in shown if s is not None))
        self.last_redraw_s = time.perf_counter() - start

    def _ipython_display_(self) -> None:
        from IPython.display import display

        self.redraw()
        display(self.widget)


def _quietly(prepare, *args) -> None:
    """Prepare in the background; a failure is said when the comparison is picked, not here."""
    from surveybrief.exceptions import InputError

    try:
        prepare(*args)
    except (InputError, ValueError, KeyError):
        return


def pickers(
    data_root: str | Path = "../data", wave_id: str = "latest", outputs_root=None
) -> Pickers:
    """Return the pickers over ``data_root``'s waves (display it in JupyterLab)."""
    return Pickers(data_root, wave_id, outputs_root)
