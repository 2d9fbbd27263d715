"""Issue 14: the printed outputs look finished — the plan workbook's summary prints in LibreOffice without
text running into other text, the region report's tables stay on the page, "Åtgärder" is one heading, and
suggested steps are one per line.

LibreOffice prints the workbook to PDF (`soffice --headless --convert-to pdf`); pdfplumber reads every
character's box on every page, and no two characters may cover each other.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace

import openpyxl
import pytest

from reports import pdf
from reports.marking import DRAFT, Marking
from reports.planbook import plan_workbook
from reports.region_html import render_region_html
from tests.chromium import need

SOFFICE = shutil.which("soffice")
MARKED = Marking(demo=True, status=DRAFT, preliminary=True)


def printed_by_libreoffice(raw: bytes, tmp_path) -> bytes:
    source = tmp_path / "in" / "plan.xlsx"
    source.parent.mkdir()
    source.write_bytes(raw)
    out = tmp_path / "out"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    return (out / "plan.pdf").read_bytes()


def overlapping_characters(page) -> list[tuple[str, str, int, int]]:
    """Pairs of visible characters whose boxes cover each other by more than a quarter of the smaller one
    (neighbours in a word touch at most, kerning aside)."""
    chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: c["x0"])
    found = []
    for i, a in enumerate(chars):
        for b in chars[i + 1:]:
            if b["x0"] >= a["x1"]:
                break
            width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
            if width > 0 and height > 0 and width * height > 0.25 * smaller:
                found.append((a["text"], b["text"], round(a["x0"]), round(a["top"])))
    return found


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_plan_workbook_prints_without_overlapping_text(region_report_19, lang, tmp_path):
    need(SOFFICE is not None, "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    pdfplumber = pytest.importorskip("pdfplumber")
    raw = printed_by_libreoffice(plan_workbook(replace(region_report_19, marking=MARKED), lang), tmp_path)
    with pdfplumber.open(io.BytesIO(raw)) as document:
        first = document.pages[0].extract_text()
        assert ("Demodata – fiktiva uppgifter" if lang == "sv" else "Demo data – fictional") in first
        assert ("Jämförelsegruppens" if lang == "sv" else "Peer-group") in first  # the header, not cut off
        for number, page in enumerate(document.pages, start=1):
            assert overlapping_characters(page) == [], f"page {number}"


def test_the_summary_sheet_is_laid_out_for_print(region_report_19):
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(region_report_19, "sv")))
    ws = wb["Sammanfattning"]
    rows = {ws.cell(row, 1).value: row for row in range(1, ws.max_row + 1) if ws.cell(row, 1).value}
    d4 = next(row for name, row in rows.items() if str(name).startswith("D4 "))
    assert ws.row_dimensions[d4].height == 30  # "D4 Information, vägledning och uppsökande arbete": two lines
    assert ws.cell(d4, 1).alignment.wrap_text
    header = rows["Dimension"]
    assert ws.row_dimensions[header].height >= 30 and ws.cell(header, 7).value == "Jämförelsegruppens median"
    assert ws.cell(d4, 5).number_format == "0%"  # completeness as percent
    assert ws.cell(rows["Andel besvarade"], 2).number_format == "0%"
    assert f"B{rows['Styrkor']}:G{rows['Styrkor']}" in {str(r) for r in ws.merged_cells.ranges}
    anchor = ws._images[0].anchor._from
    assert anchor.col == 0 and anchor.row + 1 > rows["Oenigheter"]  # the chart below the tables, not beside them
    assert [b.id for b in ws.row_breaks.brk] == [anchor.row]  # and on a page of its own


# ---- the region report ------------------------------------------------------------------------------------------

def test_actions_is_one_heading(region_report_19, example_report):
    for report in (region_report_19, example_report):  # a stored plan, and the method's proposal
        html = render_region_html(report, "sv")
        plan = html[html.index('<section id="plan"'):html.index('<section id="method"')]
        assert plan.count("Åtgärder") == 1
        assert "<caption>Åtgärder</caption>" in plan or "Handlingsplanen har inga åtgärder" in plan


def test_suggested_steps_are_one_per_line(example_report, example):
    html = render_region_html(example_report, "sv")
    plan = html[html.index('<section id="plan"'):html.index('<section id="method"')]
    assert ".;" not in plan and "['" not in plan and "None" not in plan
    cell = plan.split('<td class="steps">')[1].split("</td>")[0]
    proposal = example_report.proposals[0]
    texts = {action.id: action.text["sv"] for action in example.actions}
    assert cell.split("\n") == [f"{a['indicator']}: {texts[a['id']].rstrip('.')}." for a in proposal.actions]
    assert "td.steps { white-space: pre-line; }" in html


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint (mognad[pdf]) is not installed")
def test_every_table_stays_within_the_page(region_report_19, stored_items):
    from weasyprint.formatting_structure import boxes

    long_words = replace(stored_items[0], action="Samverkansöverenskommelsegenomförandeplanering " * 4,
                         owner="Regionutvecklingsförvaltningens_kompetensförsörjningsenhet",
                         success_indicator="https://example.invalid/" + "x" * 120)
    report = replace(region_report_19, items=(long_words, *stored_items[1:]))
    rendered = pdf.document(render_region_html(report, "sv"))
    too_wide = []

    def walk(box, right: float) -> None:
        table = isinstance(box, boxes.TableBox | boxes.TableCellBox)
        if table and box.position_x + box.margin_width() > right + 0.5:
            too_wide.append((type(box).__name__, round(box.position_x + box.margin_width() - right)))
        for child in getattr(box, "children", None) or ():
            walk(child, right)

    for page in rendered.pages:
        root = page._page_box
        right = root.content_box_x() + root.width
        walk(root, right)
    assert too_wide == []
