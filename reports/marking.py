"""What an output must say about its data before anyone reads a number in it: fictional demo data, a region's
analysis still in draft, a round that is not published yet.

The renderers cannot ask the store (reports never imports store), so `service` decides the marking once and
hands it down with the report model; every renderer prints the same lines (HTML and PDF at the top, a
workbook on its first sheet's top rows and in its document properties, open data in a column).
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.labels import label

DRAFT, SUBMITTED = "draft", "submitted"


@dataclass(frozen=True)
class Marking:
    demo: bool = False  # the database holds the fictional demo data (store.is_demo)
    status: str | None = None  # the region's analysis: DRAFT or SUBMITTED; None when no one analysis is behind it
    preliminary: bool = False  # the round is not published: figures may still change

    def lines(self, lang: str) -> list[str]:
        """The marking in `lang`, most important first; empty when there is nothing to say."""
        lines = []
        if self.demo:
            lines.append(label("marking_demo", lang))
        if self.preliminary:
            lines.append(label("marking_preliminary", lang))
        if self.status is not None:
            lines.append(label("marking_status", lang, status=label(f"status_{self.status}", lang)))
        return lines

    def text(self, lang: str) -> str:
        return " · ".join(self.lines(lang))

    def round_status(self, lang: str, published: bool) -> str:
        """Open data's publication-status value for a row of a round: demo data say so first."""
        status = label("round_published" if published else "marking_preliminary", lang)
        return f"{label('marking_demo', lang)}; {status}" if self.demo else status


UNMARKED = Marking()  # nothing to say: an answers file, a test, a benchmark
