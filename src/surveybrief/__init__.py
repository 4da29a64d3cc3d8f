"""surveybrief: expert-survey waves in, an HTML and PDF policy briefing out.

The package holds all logic; the notebooks under ``notebooks/`` only call it and display.
"""

__version__ = "0.1.0"
