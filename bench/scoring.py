"""Benchmark: score 1k, 10k and 100k synthetic respondents × every indicator of the bundled instrument,
spread over the 21 regions and several rounds; compare with a NumPy floor (a plain nanmean over the same
dense array). Prints seconds, the cost per respondent and the ratio to the floor.

    .venv/bin/python bench/scoring.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from questionnaires import find, load_regions  # noqa: E402
from scoring import plan, score  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
