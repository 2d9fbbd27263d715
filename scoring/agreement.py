"""Agreement between respondents that does not grow with their number (method 2, docs/method.md).

Tastle–Wierman consensus (Tastle & Wierman 2007, "Consensus and dissention: A measure of ordinal
dispersion", International Journal of Approximate Reasoning 45(3)) over the individual level answers:

    Cns = 1 + Σ p_i · log2(1 − |i − μ| / w)

over the levels i with share p_i > 0, μ the mean answer and w the width of the scale (4 for 0–4). Cns is 1
when everyone gives the same level and 0 when the answers split evenly between the two ends of the scale.
Unlike the range (highest minus lowest), adding respondents who answer like the others does not move it.
"""

from __future__ import annotations

import numpy as np


def consensus(levels: np.ndarray) -> np.ndarray:
    """Cns per cell from counts per level: `levels` (..., top + 1) → (...); NaN where nobody gave a level."""
    levels = np.asarray(levels, dtype=np.float64)
    width = levels.shape[-1] - 1
    n = levels.sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = levels / n[..., None]
        mean = (shares * np.arange(width + 1)).sum(-1)
        distance = np.abs(np.arange(width + 1) - mean[..., None]) / width
        # |i − μ| = w only when every answer sits at the other end, and then p_i = 0: the term is left out.
        terms = np.where(shares > 0, shares * np.log2(np.clip(1.0 - distance, 1e-300, None)), 0.0)
        result = 1.0 + terms.sum(-1)
    return np.where(n > 0, np.clip(result, 0.0, 1.0), np.nan)
