"""Analysis: statistics on processed waves; every result is a data frame, never HTML.

Owns the interval and test statistics, frequency tables with bases, breakdowns with disclosure
control, the granularity test, the audit of published figures and wave-on-wave trends. May import
``clean`` (to read processed data), ``inputs`` and the shared modules.
"""
