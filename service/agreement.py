"""The pilot's agreement report: for a round, how well independent raters of the same region agree, per
indicator (Krippendorff's ordinal alpha, scoring.interrater). A national analyst or admin reads it to find
the ladders that still do not work before an instrument version is used to compare regions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import store
from questionnaires.answers import MISSING
from scoring.interrater import ordinal_alpha
from service.rounds import rounds_upto


@dataclass(frozen=True)
class IndicatorAgreement:
    indicator: str
    alpha: float | None  # None: not computable (too few paired ratings, or no variation)
    regions: int  # regions with at least two raters who gave this indicator a level
    ratings: int  # level answers counted


def agreement(db, who, round_label: str) -> list[IndicatorAgreement]:
    """One row per indicator of the round's questionnaire, in questionnaire order.

    Raters are the respondent sheets of a region's assessment (submitted or not — a pilot need not submit);
    only level answers count (Ej relevant, Vet ej and no answer are not ratings)."""
    if not who.is_national:
        raise store.Forbidden("agreement")
    ref, _ = rounds_upto(db, who, round_label)
    q = db.questionnaire(ref)
    sheet, _ = store.answer_sheet(db, who, ref, rounds=[round_label])
    top = q.scale_max
    rows = []
    for indicator in q.indicators:
        codes = sheet[indicator.id].to_numpy() if len(sheet) else np.array([], dtype=np.uint8)
        units, ratings, regions = [], 0, 0
        for region in sorted(set(sheet["region"])) if len(sheet) else []:
            values = [int(v) for v in codes[(sheet["region"] == region).to_numpy()] if v != MISSING and v <= top]
            ratings += len(values)
            regions += len(values) >= 2
            units.append(values)
        rows.append(IndicatorAgreement(indicator.id, ordinal_alpha(units, levels=top + 1), regions, ratings))
    return rows
