"""Issue 14, Fyll i: every field names its indicator, so a screen reader tells five comment fields apart."""

from __future__ import annotations

from tests.app.conftest import LEAD, app


def test_every_comment_and_confidence_field_names_its_indicator(demo_db):
    at = app("sv", LEAD)
    at.session_state["chosen_region"] = "19"
    at.run()
    at.switch_page("app/views/fill.py").run()
    assert not at.exception
    indicators = [r.key.rsplit("_", 1)[1] for r in at.radio if r.key and r.key.startswith("answer_")]
    comments = [a.label for a in at.text_area if a.key and a.key.startswith("comment_")]
    confidences = [c.label for c in at.button_group if c.key and c.key.startswith("confidence_")]
    assert comments == [f"Kommentar och belägg för {i}" for i in indicators]
    assert confidences == [f"Hur säker är du på {i}?" for i in indicators]
    labels = comments + confidences + [r.label for r in at.radio]
    assert len(labels) == len(set(labels))
