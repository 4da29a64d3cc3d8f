"""SYNTHETIC exports written as each platform writes them: the fixtures the platform tests read.

One module per platform (``google_forms``, ``microsoft_forms``, ``surveymonkey``,
``limesurvey``, ``kobotoolbox``, ``odk_central``, ``surveycto``, ``qualtrics``, ``spss``),
each with ``VARIANTS`` (the export settings it can write, e.g. ``csv``, ``xlsx``,
``codes``) and ``write(people, codebook, folder, variant) -> Path``, writing the export of
``respondents.People`` the way that platform lays it out (header rows, own and personal
columns, separators, ticks, "Other" texts, dates, encoding, line ends), as the platform's
documentation and real exports show it. ``by_platform.write_export`` finds the module by name.
"""
