"""Inputs: the YAML a survey is described by, read and checked (first stage of the flow).

Owns the codebook (sections, questions, options, labels, versions and what changed between
them), a wave's ``wave.yaml`` (fieldwork, sample, export shape, mapping) and the published
figures. Reads YAML and returns frozen dataclasses; no pandas, no respondent data. May import
only ``surveybrief.config``, ``surveybrief.exceptions`` and ``surveybrief.writers``.
"""
