"""Benchmark: score 1k, 10k and 100k synthetic respondents × every indicator of the bundled instrument,
spread over the 21 regions and several rounds; compare with a NumPy floor (a plain nanmean over the same
dense array). Prints seconds, the cost per respondent and the ratio to the floor.

Then method 2 with its bootstrap (docs/method.md, "Metod 2"): 21 regions × 10 rounds × 30 respondents × 46
indicators, B = 1,000 replicates, against method 1 on the same sheet and against a NumPy floor measured in
the same run: the replicates' weighted counts alone (one batched matrix product, the least work any
resampling bootstrap of these counts must do).

    .venv/bin/python bench/scoring.py [--repeat 5] [--only-method-2]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

# One core, as the figures are quoted (the matrix products of method 2 would otherwise use every core).
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

# Run as a script, this file's folder comes first on sys.path and its name would shadow the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from questionnaires import find, load_regions  # noqa: E402
from scoring import bootstrap, plan, score  # noqa: E402
from scoring.sheet import DK_CODE, ID_COLUMNS, MISSING, NA_CODE  # noqa: E402

ROUNDS = ["2022", "2023", "2024", "2025", "2026"]


def synthetic(q, n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    regions = [r.code for r in load_regions()]
    roles = [r.id for r in q.roles]
    codes = rng.integers(0, 5, size=(n, len(q.indicators))).astype(np.uint8)
    special = rng.random((n, len(q.indicators)))
    codes[special < 0.05] = NA_CODE
    codes[(special >= 0.05) & (special < 0.10)] = DK_CODE
    codes[(special >= 0.10) & (special < 0.15)] = MISSING
    head = pd.DataFrame({
        "region": rng.choice(regions, n), "round": rng.choice(ROUNDS, n),
        "respondent": [f"r{i}" for i in range(n)], "role": rng.choice(roles, n),
    })
    return pd.concat([head[ID_COLUMNS], pd.DataFrame(codes, columns=[i.id for i in q.indicators])], axis=1)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def method_2_instruments() -> list:
    """Version 1's 46 indicators declared as method 2 (stage k at level k), and the bundled version 2 if any."""
    q = find("regional-validering@1")
    found = [dataclasses.replace(q, method=2, stages=tuple(
        dataclasses.replace(stage, lower=float(i)) for i, stage in enumerate(q.stages)))]
    with contextlib.suppress(KeyError):
        found.append(find("regional-validering@2"))
    return found


def panel(q, regions: int = 21, rounds: int = 10, respondents: int = 30, seed: int = 2) -> pd.DataFrame:
    """Every region and round with the same number of respondents, roles drawn at random."""
    rng = np.random.default_rng(seed)
    codes = [r.code for r in load_regions()][:regions]
    labels = [str(2017 + i) for i in range(rounds)]
    n = len(codes) * rounds * respondents
    answers = rng.integers(0, 5, size=(n, len(q.indicators))).astype(np.uint8)
    special = rng.random(answers.shape)
    answers[special < 0.05] = NA_CODE
    answers[(special >= 0.05) & (special < 0.10)] = DK_CODE
    answers[(special >= 0.10) & (special < 0.15)] = MISSING
    head = pd.DataFrame({
        "region": np.repeat(codes, rounds * respondents), "round": np.tile(np.repeat(labels, respondents), len(codes)),
        "respondent": [f"r{i}" for i in range(n)], "role": rng.choice([r.id for r in q.roles], n),
    })
    return pd.concat([head[ID_COLUMNS], pd.DataFrame(answers, columns=[i.id for i in q.indicators])], axis=1)


def numpy_floor(sheet, q, replicates: int) -> float:
    """The replicates' counts per (region, round, role) and indicator as one batched matrix product of
    multinomial weights and one-hot answers (levels 0–4, na, dk); nothing else."""
    codes = sheet[[i.id for i in q.indicators]].to_numpy()
    strata = pd.factorize(sheet["region"] + "|" + sheet["round"] + "|" + sheet["role"])[0]
    order = np.argsort(strata, kind="stable")
    sizes = np.bincount(strata)
    onehot = np.stack([codes == level for level in (0, 1, 2, 3, 4, NA_CODE, DK_CODE)], axis=1)[order]
    onehot = onehot.astype(np.float32).reshape(len(codes), -1)
    firsts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for size in np.unique(sizes):  # one product per stratum size, as the method does
        members = np.flatnonzero(sizes == size)
        for chunk in np.array_split(members, max(1, len(members) * replicates * onehot.shape[1] // 1_000_000)):
            picks = rng.integers(0, size, size=(len(chunk), replicates, size))
            cells = (np.arange(len(chunk) * replicates)[:, None] * size + picks.reshape(-1, size)).ravel()
            w = np.bincount(cells, minlength=len(chunk) * replicates * size).astype(np.float32)
            np.matmul(w.reshape(len(chunk), replicates, size), onehot[firsts[chunk][:, None] + np.arange(size)])
    return time.perf_counter() - start


def method_2(repeat: int) -> None:
    b = bootstrap.REPLICATES
    print(f"\nmethod 2 with its bootstrap (B = {b:,}): 21 regions × 10 rounds × 30 respondents; best and median of "
          f"{repeat} runs; method 1 and the NumPy floor on the same sheet in the same run")
    print(f"{'instrument':<26} {'ind.':>4} {'method 2 s':>10} {'median s':>9} {'no bootstrap s':>14} "
          f"{'method 1 s':>10} {'floor s':>8} {'÷ method 1':>10} {'÷ floor':>8}")
    for q2 in method_2_instruments():
        q1 = dataclasses.replace(q2, method=1)  # the same indicators, scored by method 1
        sheet = panel(q2)
        two, two_median = best(lambda q2=q2, sheet=sheet: score(sheet, q2), repeat)
        point, _ = best(lambda q2=q2, sheet=sheet: score(sheet, q2, replicates=0), repeat)
        one, _ = best(lambda q1=q1, sheet=sheet: score(sheet, q1), repeat)
        floor = min(numpy_floor(sheet, q2, b) for _ in range(repeat))
        name = q2.ref if q2.ref != "regional-validering@1" else "regional-validering@1 as 2"
        print(f"{name:<26} {len(q2.indicators):>4} {two:>10.3f} {two_median:>9.3f} {point:>14.3f} {one:>10.4f} "
              f"{floor:>8.3f} {two / one:>10.0f} {two / floor:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only-method-2", action="store_true")
    args = parser.parse_args()
    if args.only_method_2:
        method_2(args.repeat)
        return
    q = find("regional-validering@1")
    print(f"instrument {q.ref}: {len(q.indicators)} indicators, {len(q.dimensions)} dimensions; "
          f"21 regions × {len(ROUNDS)} rounds; best and median of {args.repeat} runs")
    print(f"{'respondents':>11} {'score s':>9} {'median s':>9} {'µs/resp':>8} {'floor s':>9} {'ratio':>6} "
          f"{'+plan s':>8}")
    for n in (1_000, 10_000, 100_000):
        sheet = synthetic(q, n)
        dense = sheet[[i.id for i in q.indicators]].to_numpy().astype(np.float64)
        dense[dense > 4] = np.nan
        fast, median = best(lambda sheet=sheet: score(sheet, q), args.repeat)
        floor, _ = best(lambda dense=dense: np.nanmean(dense, axis=0), args.repeat)
        scores = score(sheet, q)
        planned, _ = best(lambda scores=scores: plan(scores, q), max(1, args.repeat // 2))
        print(f"{n:>11,} {fast:>9.4f} {median:>9.4f} {fast / n * 1e6:>8.2f} {floor:>9.4f} {fast / floor:>6.1f} "
              f"{planned:>8.3f}")
    method_2(args.repeat)


if __name__ == "__main__":
    main()
