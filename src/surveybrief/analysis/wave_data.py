"""One cleaned wave with the codebook version it was asked with: what trends compare."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from surveybrief.inputs.codebook import Codebook
from surveybrief.inputs.published import Publication
from surveybrief.inputs.wave import Wave


@dataclass(frozen=True)
class WaveData:
    """One wave, cleaned, with the codebook version it was asked with."""

    wave: Wave
    codebook: Codebook
    responses: pd.DataFrame
    #: The figures its source published (a reconstructed wave's only known facts), if any.
    publication: Publication | None = None
