"""surveybrief: expert-survey waves in, an HTML and PDF policy briefing out.

The package holds all logic; the notebooks under ``notebooks/`` only call it and display.
Importing it registers the question types (``question_types``, one module each): the
layers look a question's type up by name and never import a type module.
"""

from surveybrief import question_types as _question_types  # noqa: F401  (registers them)

__version__ = "0.1.0"
