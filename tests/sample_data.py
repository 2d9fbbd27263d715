"""Synthetic but plausible answers for every region: test data for the tests and the benchmark (bench/).

Each region gets a latent maturity per dimension that drifts upwards between rounds; respondents answer
around it with some noise, now and then "ej relevant" or "vet ej". Seeded, so the same call gives the same
sheet. Never used for real results, and never imported by the product (mognad's packages).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from questionnaires.answers import DK_CODE, MISSING, NA_CODE
from questionnaires.model import Questionnaire
from questionnaires.regions import load_regions
from scoring.sheet import ID_COLUMNS


def synthetic_sheet(q: Questionnaire, rounds: Sequence[str] = ("2025",), regions: Sequence[str] | None = None,
                    respondents: int = 5, seed: int = 7) -> pd.DataFrame:
    """An answer sheet (scoring.sheet layout) for `regions` (default: all 21) and `rounds`."""
    rng = np.random.default_rng(seed)
    codes = list(regions) if regions is not None else [r.code for r in load_regions()]
    roles = [role.id for role in q.roles]
    dims = {dim.id: d for d, dim in enumerate(q.dimensions)}
    top = q.scale_max
    offset = rng.uniform(0.3, top - 0.6, size=(len(codes), 1))
    base = np.clip(offset + rng.normal(0, 0.6, size=(len(codes), len(dims))), 0, top)
    rows, matrix = [], []
    for r_index, round_label in enumerate(rounds):
        level = np.clip(base + 0.35 * r_index + rng.normal(0, 0.15, base.shape), 0, top)
        for g, region in enumerate(codes):
            for p in range(respondents):
                role = roles[p % len(roles)]
                rows.append((region, str(round_label), f"{region}-{round_label}-{p + 1}", role))
                answers = []
                for ind in q.indicators:
                    if not ind.applies_to(role):
                        answers.append(MISSING)
                        continue
                    draw = rng.random()
                    if draw < 0.04:
                        answers.append(NA_CODE)
                    elif draw < 0.10:
                        answers.append(DK_CODE)
                    elif draw < 0.13:
                        answers.append(MISSING)
                    else:
                        value = level[g, dims[ind.dimension]] + rng.normal(0, 0.8)
                        answers.append(int(np.clip(np.rint(value), 0, top)))
                matrix.append(answers)
    head = pd.DataFrame(rows, columns=ID_COLUMNS, dtype=object).astype(str)
    body = pd.DataFrame(np.array(matrix, dtype=np.uint8).reshape(len(rows), len(q.indicators)),
                        columns=[ind.id for ind in q.indicators])
    return pd.concat([head, body], axis=1)
