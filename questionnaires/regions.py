"""The roster of Sweden's regions, read from regions.csv (never hard-coded), and their peer groups."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from questionnaires.text import Text

# Size groups by population (domain.md §1.2, our own proposal, not an official classification).
# Lower bounds, largest first.
SIZE_GROUPS: tuple[tuple[str, int, Text], ...] = (
    ("A", 1_000_000, Text("Storstadsregioner (över 1 miljon invånare)", "Metropolitan regions (over 1 million)")),
    ("B", 300_000, Text("Större regioner (300 000–1 miljon)", "Larger regions (300,000–1 million)")),
    ("C", 200_000, Text("Mellanstora regioner (200 000–300 000)", "Mid-sized regions (200,000–300,000)")),
    ("D", 0, Text("Mindre regioner (under 200 000)", "Smaller regions (under 200,000)")),
)

NUTS2_NAMES = {
    "SE11": "Stockholm", "SE12": "Östra Mellansverige", "SE21": "Småland med öarna", "SE22": "Sydsverige",
    "SE23": "Västsverige", "SE31": "Norra Mellansverige", "SE32": "Mellersta Norrland", "SE33": "Övre Norrland",
}


@dataclass(frozen=True)
class Region:
    code: str  # two-digit county code, "01" … "25"
    iso: str
    county: str
    name: str  # the regional organisation's own name
    nuts2: str
    population: int
    note: str

    @property
    def size_group(self) -> str:
        return next(group for group, lower, _ in SIZE_GROUPS if self.population >= lower)


@cache
def load_regions() -> tuple[Region, ...]:
    text = resources.files("questionnaires").joinpath("regions.csv").read_text("utf-8")
    return tuple(
        Region(
            code=row["county_code"].zfill(2),
            iso=row["iso_3166_2"],
            county=row["county_sv"],
            name=row["organisation_sv"],
            nuts2=row["nuts2"],
            population=int(row["population_2023_12_31"]),
            note=row.get("population_note") or "",
        )
        for row in csv.DictReader(text.splitlines())
    )


def region_by_code() -> dict[str, Region]:
    return {region.code: region for region in load_regions()}


def size_group_label(group: str) -> Text:
    return next(label for g, _, label in SIZE_GROUPS if g == group)
