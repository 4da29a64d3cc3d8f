"""The export shapes the SYNTHETIC waves are written in (a list the command line offers).

Its own module, so that building the command line does not import the generators (pandas).
"""

SHAPES = ("google_csv", "kobo_csv", "qualtrics_csv", "google_xlsx", "kobo_xlsx", "spss_sav")
