"""Brief: what readers see. Narrative, charts, HTML fragments, the notebook entry points, report.

Owns the computed sentences, charts, escaped HTML fragments, the sanitizer, the assembly of the
executed notebooks into HTML and PDF (each kind of document registered in ``documents/``), and
one module per notebook kind (``clean_step``, ``section``, ``open_answers``, ``trend_chapter``,
``audit_chapter``, ``front``): each has an ``open_*`` function returning an object whose
``show()`` displays and whose attributes are the data frames. May import ``analysis``, ``clean``,
``inputs`` and the shared modules.
"""
