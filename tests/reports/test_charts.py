"""Charts: the table behind each one, accessible SVG, and text that never contradicts the picture."""

from __future__ import annotations

import re

from reports import charts, describe
from reports.svg import to_png, to_svg


def test_each_chart_returns_its_table(region_report_19, national, instrument):
    q = instrument
    _, profile = charts.profile_chart(region_report_19.comparison, q, "sv", "Region Västmanland")
    assert list(profile.columns) == ["dimension", "title", "score", "national_median", "national_q1", "national_q3",
                                     "peer_median"]
    assert list(profile["dimension"]) == [d.id for d in q.dimensions]
    _, heat = charts.heatmap_chart(national.dimensions, national.labels, national.order, q, "sv")
    assert list(heat["label"]) == [national.labels[c] for c in national.order] and len(heat) == 21
    _, spread = charts.distribution_chart(national.dimensions, national.national, q, "en")
    assert list(spread.columns) == ["dimension", "title", "n", "min", "q1", "median", "q3", "max"]
    _, stages = charts.stage_chart(national.stages, q, "sv", national.overall_stages)
    assert stages.iloc[0]["title"] == "Totalt" and stages[["S0", "S1", "S2", "S3", "S4", "none"]].sum(axis=1).eq(21).all()
    series = {"median": "Median"}
    _, trend = charts.trend_chart(national.history.reset_index(), q, "sv", series, ["2024", "2025"])
    assert set(trend["round"]) == {"2024", "2025"}
    _, profiles = charts.profiles_chart(national.dimensions, national.national, national.labels, national.order, q, "sv")
    assert len(profiles) == 21 * len(q.dimensions)


def test_svg_is_one_named_image_with_unique_ids(region_report_19, instrument):
    chart, data = charts.profile_chart(region_report_19.comparison, instrument, "sv", "Region <X>")
    svg = to_svg(chart, "sv", label="Diagram: profil", ident="p1", described_by="p1-desc")
    root = svg[: svg.index(">")]
    assert 'role="img"' in root and 'aria-label="Diagram: profil"' in root and 'aria-describedby="p1-desc"' in root
    assert root.count("class=") == 1
    assert all(ident.startswith("p1-") for ident in re.findall(r'\bid="([^"]+)"', svg))
    assert "Region &lt;X&gt;" in svg and "<X>" not in svg  # vl-convert escapes texts
    assert "0,5" in svg  # Swedish axis numbers
    assert to_png(chart, "sv").startswith(b"\x89PNG")


def test_heatmap_text_is_white_on_dark_cells(national, instrument):
    chart, _ = charts.heatmap_chart(national.dimensions, national.labels, national.order, instrument, "sv")
    spec = chart.to_dict(validate=False)
    text_layer = spec["layer"][1]
    assert text_layer["encoding"]["color"]["condition"]["value"] == "white"


def test_descriptions_state_what_the_table_shows(region_report_19, instrument):
    _, data = charts.profile_chart(region_report_19.comparison, instrument, "sv", "Region Västmanland")
    text = describe.profile(data, "sv", "Region Västmanland", True, True)
    best = data.loc[data["score"].idxmax()]
    assert best["title"] in text and "Regionen ligger över rikets median i" in text
