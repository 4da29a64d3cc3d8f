"""Platforms: how each survey platform writes its exports, one module per platform.

Owns the knowledge of every export platform (Google Forms, KoboToolbox, Qualtrics, SPSS,
SurveyMonkey, LimeSurvey, Microsoft Forms, ODK Central, SurveyCTO, and a hand-made table):
how to recognise its export, how many header rows it writes and what each header says (a
question, one of its options, an "Other" text), which columns are its own and which hold
personal data, its respondent id, and how it writes answers (separators, ticks, "Other"
texts, missing codes, rows its reviewers rejected). ``base`` holds the interface; ``registry``
finds the platform of an export. A new platform is one module here defining ``PLATFORM``.
No pandas beyond reading a sheet's first rows, no codebook. May import ``inputs`` and the
shared modules (``config``, ``exceptions``, ``text``, ``writers``).
"""
