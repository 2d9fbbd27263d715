"""Inter-rater agreement for the pilot: Krippendorff's alpha with the ordinal metric, per indicator.

In a pilot two (or more) people rate the same region independently; an indicator whose ladder works gives
them the same level. Alpha compares the disagreement observed within regions with the disagreement expected
if the levels were paired at random (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):

    alpha = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck

where o is the coincidence matrix (each ordered pair of values from different raters of one unit, weighted
1 / (m_u − 1)), n_c its margins, n the number of pairable values, and the ordinal metric
δ_ck = Σ_{g=c..k} n_g − (n_c + n_k) / 2. Units with fewer than two values are not pairable and are left out.
1 is perfect agreement, 0 agreement no better than chance; below 0.667 a ladder is usually not usable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def ordinal_alpha(units: Iterable[Sequence[int | None]], levels: int = 5) -> float | None:
    """Alpha over `units` (each the values its raters gave; None = no value). None when it is undefined
    (fewer than two pairable values, or no variation at all)."""
    coincidence = np.zeros((levels, levels), dtype=float)
    for unit in units:
        values = [int(v) for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts = np.bincount(values, minlength=levels).astype(float)
        pairs = np.outer(counts, counts) - np.diag(counts)  # ordered pairs of different raters
        coincidence += pairs / (m - 1)
    margins = coincidence.sum(axis=1)
    n = margins.sum()
    if n < 2:
        return None
    cumulative = np.concatenate([[0.0], np.cumsum(margins)])
    c, k = np.meshgrid(np.arange(levels), np.arange(levels), indexing="ij")
    low, high = np.minimum(c, k), np.maximum(c, k)
    delta = (cumulative[high + 1] - cumulative[low]) - (margins[c] + margins[k]) / 2
    delta2 = np.where(c == k, 0.0, delta**2)
    expected = (np.outer(margins, margins) * delta2).sum()
    if expected == 0:
        return None
    return float(1 - (n - 1) * (coincidence * delta2).sum() / expected)
