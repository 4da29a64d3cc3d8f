"""Agreement between two coders of open answers: Cohen's kappa and Krippendorff's alpha.

Per theme, each coded answer is one unit with two binary judgements (the coder gave the theme
or not); "all themes" pools every answer-theme decision. Kappa corrects the share of agreement
for the agreement expected from each coder's own rates (Cohen 1960); alpha for the agreement
expected from the pooled rates, with a small-sample correction (Krippendorff 2011, nominal
data, two coders, no missing values). Both are undefined (NaN) when nothing varies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

AGREEMENT_COLUMNS = ["theme", "label", "n_answers", "pct_agreement", "kappa", "alpha"]
#: The row that pools all themes.
ALL_THEMES = "all"


def percent_agreement(a, b) -> float:
    """Return the share of units on which the two coders agree, in percent."""
    a, b = np.asarray(a), np.asarray(b)
    return float(100 * np.mean(a == b)) if len(a) else float("nan")


def cohen_kappa(a, b) -> float:
    """Return Cohen's kappa of two coders' nominal judgements of the same units."""
    a, b = np.asarray(a), np.asarray(b)
    if not len(a):
        return float("nan")
    observed = np.mean(a == b)
    categories = np.union1d(a, b)
    expected = sum(np.mean(a == c) * np.mean(b == c) for c in categories)
    return float("nan") if expected == 1 else float((observed - expected) / (1 - expected))


def krippendorff_alpha(a, b) -> float:
    """Return Krippendorff's alpha (nominal) of two coders who judged every unit."""
    values = np.concatenate([np.asarray(a), np.asarray(b)])
    n = len(values)
    if n < 4:
        return float("nan")
    disagreeing = 2 * int(np.sum(np.asarray(a) != np.asarray(b)))  # o_ck + o_kc per unit
    _, counts = np.unique(values, return_counts=True)
    expected = (n**2 - float(np.sum(counts.astype(float) ** 2))) / (n - 1)
    return float("nan") if expected == 0 else float(1 - disagreeing / expected)


def agreement_table(first: pd.DataFrame, second: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """Return agreement per theme and pooled over themes (frames: answers x themes, bool)."""
    rows = []
    for code in first.columns:
        a, b = first[code].to_numpy(bool), second[code].to_numpy(bool)
        rows.append(_row(code, labels[code], a, b, len(a)))
    a = first.to_numpy(bool).ravel()
    b = second[first.columns].to_numpy(bool).ravel()
    rows.append(_row(ALL_THEMES, "All themes (pooled)", a, b, len(first)))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _row(code: str, label: str, a, b, n_answers: int) -> dict:
    return {
        "theme": code,
        "label": label,
        "n_answers": n_answers,
        "pct_agreement": percent_agreement(a, b),
        "kappa": cohen_kappa(a, b),
        "alpha": krippendorff_alpha(a, b),
    }
