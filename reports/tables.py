"""Tables as the HTML templates render them: captioned, with header cells, formatted for the language.

Each numeric cell keeps its machine value beside the formatted text (`<data value="2.333">2,33</data>`), so
a reader, a screen reader and a test all see the same number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reports import formatting as fmt


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | int | None = None  # the exact number behind `text`, if it is one
    header: bool = False  # a row header (th scope="row")
    key: str = ""  # a stable name for machines and tests, e.g. "D1.score"
    css: str = ""

    @property
    def machine(self) -> str | None:
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return None
        return repr(self.value) if isinstance(self.value, float) else str(self.value)


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: tuple[bool, ...] = ()  # right-aligned columns
    note: str = ""
    css: str = ""
    hidden_caption: bool = False

    def is_numeric(self, index: int) -> bool:
        return index < len(self.numeric) and self.numeric[index]


@dataclass
class TableBuilder:
    caption: str
    columns: list[str]
    numeric: list[bool] = field(default_factory=list)
    rows: list[tuple[Cell, ...]] = field(default_factory=list)

    def add(self, *cells: Cell) -> None:
        self.rows.append(tuple(cells))

    def build(self, note: str = "", css: str = "", hidden_caption: bool = False) -> Table:
        return Table(self.caption, tuple(self.columns), tuple(self.rows), tuple(self.numeric), note, css,
                     hidden_caption)


def text(value: object, header: bool = False, css: str = "") -> Cell:
    return Cell("" if value is None else str(value), header=header, css=css)


def score(value: float | None, lang: str, digits: int = 2, key: str = "") -> Cell:
    return Cell(fmt.decimal(value, lang, digits), _number(value), key=key)


def signed(value: float | None, lang: str, digits: int = 2, key: str = "") -> Cell:
    number = _number(value)
    if number is None:
        return Cell(fmt.DASH, key=key)
    sign = "+" if number > 0 else ("−" if number < 0 else "±")
    return Cell(sign + fmt.decimal(abs(number), lang, digits), number, key=key)


def percent(value: float | None, lang: str, key: str = "") -> Cell:
    return Cell(fmt.percent(value, lang), _number(value), key=key)


def share(value: float | None, lang: str, key: str = "") -> Cell:
    return Cell(fmt.share(value, lang), _number(value), key=key)


def integer(value: int | None, lang: str, key: str = "") -> Cell:
    number = _number(value)
    return Cell(fmt.integer(value, lang), None if number is None else int(number), key=key)


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
