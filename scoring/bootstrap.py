"""The bootstrap of method 2 (docs/method.md): reproducible draws, percentile intervals, rank intervals.

The draws come from a counter-based generator (the SplitMix64 finaliser over a 64-bit key): the j-th draw
of replicate b for one role of one region and round is a pure function of (seed, b, role, j). A region's
interval therefore does not depend on which other regions were scored with it, on the order of the rows,
or on how the work is split into chunks, and every draw of a whole country is made in a few array
operations, without a Python loop over replicates or regions.
"""

from __future__ import annotations

import hashlib

import numpy as np

REPLICATES = 1000
LEVEL = 0.90  # a 90 % interval: the 5th and the 95th percentile of the replicates
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


def seed(*parts: str) -> int:
    """A 64-bit seed from text (instrument, region, round): the same parts always give the same seed."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8, person=b"mognad-boot").digest()
    return int.from_bytes(digest, "little")


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, elementwise on uint64 (wrapping arithmetic)."""
    x = (x ^ (x >> np.uint64(30))) * _MIX_1
    x = (x ^ (x >> np.uint64(27))) * _MIX_2
    return x ^ (x >> np.uint64(31))


def draws(seeds: np.ndarray, roles: np.ndarray, size: int, replicates: int) -> np.ndarray:
    """Indices 0..size-1 drawn with replacement: (strata, replicates, size) for strata of `size` respondents.

    `seeds` (uint64) and `roles` (small ints) identify each stratum: draw j of replicate b is
    mix(seed + GOLDEN · (key + 1)) with key = b · 2**28 + role · 2**20 + j, scaled to 0..size-1.
    """
    b = np.arange(replicates, dtype=np.uint64)[None, :, None] << np.uint64(28)
    j = np.arange(size, dtype=np.uint64)[None, None, :]
    role = np.asarray(roles, dtype=np.uint64)[:, None, None] << np.uint64(20)
    with np.errstate(over="ignore"):
        key = (b | role | j) + np.uint64(1)
        bits = _mix(np.asarray(seeds, dtype=np.uint64)[:, None, None] + key * _GOLDEN)
    # Lemire's multiply-shift: the top 32 bits scaled to 0..size-1 (bias below 2**-16 for any panel size).
    return ((bits >> np.uint64(32)) * np.uint64(size)) >> np.uint64(32)


def weights(seeds: np.ndarray, roles: np.ndarray, size: int, replicates: int) -> np.ndarray:
    """How often each respondent is drawn: (strata, replicates, size) float32, each row summing to `size`."""
    picked = draws(seeds, roles, size, replicates).astype(np.int64)
    n_strata = len(seeds)
    base = (np.arange(n_strata * replicates, dtype=np.int64) * size).reshape(n_strata, replicates, 1)
    counts = np.bincount((base + picked).ravel(), minlength=n_strata * replicates * size)
    return counts.reshape(n_strata, replicates, size).astype(np.float32)


def interval(replicates: np.ndarray, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percentile interval over the last axis, skipping NaN (replicates without a score).

    Returns (lo, hi, share): the (1 − level)/2 and (1 + level)/2 quantiles with linear interpolation between
    order statistics (Hyndman–Fan type 7, NumPy's default), NaN when no replicate has a score; and the share
    of replicates that have one.
    """
    ordered = np.sort(replicates, axis=-1)  # NaN sorts last
    found = (~np.isnan(replicates)).sum(-1)
    ends = []
    for p in ((1 - level) / 2, (1 + level) / 2):
        position = np.maximum(found - 1, 0) * p
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(found - 1, 0))
        a = np.take_along_axis(ordered, below[..., None], -1)[..., 0]
        b = np.take_along_axis(ordered, above[..., None], -1)[..., 0]
        fraction = position - below
        value = np.where(a == b, a, a + (b - a) * fraction)  # equal ends stay exactly equal
        ends.append(np.where(found > 0, value, np.nan))
    share = found / replicates.shape[-1] if replicates.shape[-1] else np.zeros(found.shape)
    return ends[0], ends[1], share


def ranks(replicates: np.ndarray, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median rank and rank interval of each unit from joint replicates: `replicates` (units, B).

    In each replicate a unit's rank is 1 + the number of units with a strictly higher score there (equal
    scores share the better rank); units without a score in a replicate take no part in it. Returns
    (median, lo, hi) as whole ranks (the inverted empirical distribution), NaN for a unit never scored.
    """
    scores = np.asarray(replicates, dtype=np.float64)
    valid = ~np.isnan(scores)
    higher = (scores[None, :, :] > scores[:, None, :]).sum(1)  # [i, j]: j above i; NaN compares False
    rank = np.where(valid, 1.0 + higher, np.nan)
    ordered = np.sort(rank, axis=-1)
    found = valid.sum(-1)
    result = []
    for p in (0.5, (1 - level) / 2, (1 + level) / 2):
        index = np.clip(np.ceil(found * p).astype(np.int64) - 1, 0, None)
        picked = np.take_along_axis(ordered, index[:, None], -1)[:, 0] if len(ordered) else np.zeros(0)
        result.append(np.where(found > 0, picked, np.nan))
    return result[0], result[1], result[2]
