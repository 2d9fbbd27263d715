"""Fyll i scores the answers only when the running result is asked for (issue 15: no scoring on the save path).

A partner answering on a phone pays for no scoring; a lead still sees what is missing before "Lämna in",
which needs the scores."""

from __future__ import annotations

import service.progress
from tests.app.conftest import RESPONDENT, app


def fill(monkeypatch, lang="sv"):
    calls = []
    real = service.progress.score

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(service.progress, "score", counting)
    at = app(lang, RESPONDENT)
    at.run()  # Översikt, which shows the running scores
    calls.clear()
    at.switch_page("app/views/fill.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at, calls


def test_the_page_and_an_answer_score_nothing_until_the_result_is_asked_for(demo_db, monkeypatch):
    at, calls = fill(monkeypatch)
    assert calls == []  # Fyll i opened: nothing scored
    answer = next(r for r in at.radio if r.key and r.key.startswith("answer_"))
    answer.set_value(answer.options[2]).run()  # a first answer: the whole page runs again
    assert not at.exception
    assert calls == []
    assert not [i for i in at.info if i.value.startswith("Preliminärt resultat")]

    at.toggle(key="show_interim").set_value(True).run()
    assert len(calls) == 1
    shown = [i.value for i in at.info if i.value.startswith("Preliminärt resultat för dimensionen")]
    assert len(shown) == 1 and "fullständighet" in shown[0]
