"""Explore a wave in JupyterLab: its responses, any table, cross-tab or comparison, and charts.

``from surveybrief import explore``; ``w = explore.wave("latest", data_root="../data")``; then
``w.questions``, ``w.responses``, ``w.table(q)``, ``w.crosstab(q, by=p)``, ``w.compare(q)``,
each shown richly in JupyterLab (tables with bases and intervals; ``.chart()`` draws it) and
each a data frame underneath (``.frame``). The statistics and the disclosure rule are the
briefing's own (``analysis``); nothing here writes a file: a wave is cleaned in memory from its
raw export, as 00_clean cleans it, so exploring never changes a run's outputs.

Imports: every layer up to ``brief`` (its presenters and chart style); ``run`` never imports
this layer, and the briefing never reads what it computes.
"""

from surveybrief.explore.explored_wave import ExploredWave, wave, wave_ids
from surveybrief.explore.pickers import pickers
from surveybrief.explore.views import ComparisonView, CrossTabView, TableView, comparison

__all__ = [
    "ComparisonView",
    "CrossTabView",
    "ExploredWave",
    "TableView",
    "comparison",
    "pickers",
    "wave",
    "wave_ids",
]
