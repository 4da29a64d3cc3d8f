"""The documents a run renders from its executed notebooks, one module each (a registry).

Each module but ``document_kind`` defines one ``DOCUMENT``: the full report and the short
brief today. They are found by walking this package, so a new document kind (a one-page
summary, a slide handout) is one new module: its name (the tag notebooks give their outputs
for it, through ``display.show_html(..., doc=...)``), the notebooks it is made of, its file
stem and its page limit. The render writes each of them in each language of the run.
"""
