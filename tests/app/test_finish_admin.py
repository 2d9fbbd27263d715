"""Issue 14, the app part: safe administration, readable audit entries, confirmations and receipts."""

from __future__ import annotations

import datetime as dt

import store
from app.parts.admin import backup_name
from app.widgets import literal
from store.audit import AuditEntry
from tests.app.conftest import ADMIN, ANALYST, LEAD, app


def page(name, email, region=None, round_=None, lang="sv"):
    at = app(lang, email)
    if region:
        at.session_state["chosen_region"] = region
    if round_:
        at.session_state["chosen_round"] = round_
    at.run()
    at.switch_page(f"app/views/{name}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at) -> list[str]:
    return [e.value for kind in ("markdown", "caption", "warning", "success", "info", "error") for e in getattr(at, kind)]


def test_a_new_account_gets_the_least_powerful_regional_role(demo_db):
    at = page("admin", ADMIN)
    roles = [s for s in at.selectbox if s.label == "Roll i regionen"]
    assert roles and all(s.value == "viewer" for s in roles)
    assert roles[0].options == ["regional ledare", "respondent", "läsare"]


def test_the_backup_is_named_by_date_and_said_to_hold_password_hashes(demo_db):
    moment = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)  # already 2 December in Stockholm
    assert backup_name(moment) == "mognad-backup-2026-12-02-0030.json"
    at = page("admin", ADMIN)
    assert ("Filen innehåller lösenordshashar och e-postadresser för alla konton. Förvara den säkert: krypterad, "
            "åtkomstskyddad och aldrig som bilaga i e-post. Radera den när den inte längre behövs.") in texts(at)
    at.button(key="make_backup").click().run()
    assert at.session_state["_backup_name"].startswith("mognad-backup-20")


def test_publishing_an_open_round_is_disabled_with_the_reason(demo_db):
    at = page("admin", ADMIN)
    at.selectbox(key="admin_round").set_value("2026").run()
    assert at.button(key="publish_round").disabled
    assert "Omgång 2026 är öppen och kan inte publiceras. Stäng den först." in texts(at)


def test_closing_a_round_states_the_consequence_and_waits_for_a_yes(demo_db):
    db, _ = demo_db
    at = page("admin", ADMIN)
    at.selectbox(key="admin_round").set_value("2026").run()
    at.button(key="close_round").click().run()
    assert store.get_round(db, store.system_identity(), "2026").open  # nothing happened yet
    assert ("Stänga omgång 2026? Ingen kan längre fylla i eller ändra svar, och inlämnade analyser låses. "
            "5 av 21 regioner har inte lämnat in.") in texts(at)
    at.button(key="cancel_round_action").click().run()
    assert store.get_round(db, store.system_identity(), "2026").open
    assert not [b for b in at.button if b.key == "confirm_close_round"]
    at.button(key="close_round").click().run()
    at.button(key="confirm_close_round").click().run()
    assert not store.get_round(db, store.system_identity(), "2026").open
    assert "Omgång 2026 är stängd. Inlämnade analyser är låsta." in [s.value for s in at.success]


def test_publishing_a_closed_round_names_the_consequence(demo_db):
    db, _ = demo_db
    admin = store.identity_for_email(db, ADMIN)
    store.close_round(db, admin, "2026")
    at = page("admin", ADMIN)
    at.selectbox(key="admin_round").set_value("2026").run()
    at.button(key="publish_round").click().run()
    assert not store.get_round(db, store.system_identity(), "2026").published
    assert ("Publicera omgång 2026? Alla regioner ser varandras resultat med namn. 5 av 21 regioner har inte "
            "lämnat in och kommer inte med.") in texts(at)
    at.button(key="confirm_publish_round").click().run()
    assert store.get_round(db, store.system_identity(), "2026").published


def test_the_admin_stays_in_the_same_part_after_an_action(demo_db):
    db, _ = demo_db
    at = page("admin", ADMIN)
    at.session_state["admin_tab_sv"] = "Användare"
    at.run()
    at.selectbox(key="admin_user").set_value(LEAD)
    at.button(key="disable_user").click().run()
    assert store.get_user(db, store.system_identity(), LEAD).disabled
    assert at.session_state["admin_tab_sv"] == "Användare"


def test_the_national_overview_counts_reopened_apart(demo_db):
    at = page("overview", ANALYST, round_="2026")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Påbörjade": "21 / 21", "Inlämnad": "16", "Låst": "0", "Återöppnad": "1", "Utkast": "4"}


def test_a_sheet_added_by_mistake_is_removed_after_a_confirmation(demo_db):
    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    assessment = store.get_assessment(db, lead, "19", "2026")
    store.add_respondent(db, lead, assessment.id, "Felskriven Kommun", "region")
    sheet = next(r for r in store.list_respondents(db, lead, assessment.id) if r.name == "Felskriven Kommun")
    at = app("sv", LEAD)
    at.session_state["chosen_region"] = "19"
    at.session_state["chosen_sheet"] = sheet.id
    at.run()
    at.switch_page("app/views/fill.py").run()
    at.button(key=f"remove_sheet_{sheet.id}").click().run()
    assert ("Ta bort svarsformuläret för Felskriven Kommun? Formuläret och dess 0 svar räknas inte längre med i "
            "analysen. Borttagningen loggas.") in texts(at)
    assert sheet.id in {r.id for r in store.list_respondents(db, lead, assessment.id)}
    at.button(key=f"remove_sheet_yes_{sheet.id}").click().run()
    assert not at.exception
    assert sheet.id not in {r.id for r in store.list_respondents(db, lead, assessment.id)}
    assert "Svarsformuläret för Felskriven Kommun är borttaget." in [s.value for s in at.success]


def test_submitting_shows_the_consequence_and_a_receipt_at_the_top(demo_db):
    db, _ = demo_db
    at = app("sv", LEAD)
    at.session_state["chosen_region"] = "19"
    at.run()
    at.switch_page("app/views/fill.py").run()
    assert ("När analysen lämnas in kan ingen ändra svaren längre, och regionens resultat räknas med i jämförelsen. "
            "Regionens ledare kan öppna den igen medan omgången är öppen.") in texts(at)
    at.checkbox(key="submit_anyway").check().run()
    at.button(key="submit_assessment").click().run()
    assert store.get_assessment(db, store.system_identity(), "19", "2026").status == "submitted"
    import re

    name = store.get_user(db, store.system_identity(), LEAD).name
    receipt = at.success[0].value
    assert re.fullmatch(r"Analysen för Region Västmanland lämnades in \d{4}-\d\d-\d\d kl\. \d\d:\d\d av "
                        + re.escape(literal(name)) + r"\.", receipt), receipt
    assert ("Nu räknas resultatet med i jämförelsen och ni kan ta fram handlingsplanen. Behöver något ändras kan du "
            "öppna analysen igen medan omgången är öppen.") in texts(at)
    links = at.get("page_link")
    assert any(link.proto.label == "Se resultatet" for link in links)


def _entry(action, target, old, new, region="19"):
    return AuditEntry(dt.datetime(2026, 3, 25, 2, 7, tzinfo=dt.UTC), "ledare@demo.invalid", action, region, target,
                      old, new)


def test_audit_entries_read_as_sentences_in_swedish_time(monkeypatch):
    from app import i18n
    from app import widgets as ui

    monkeypatch.setattr(i18n, "lang", lambda: "sv")
    monkeypatch.setattr(ui, "lang", lambda: "sv")
    answer = _entry("answer.save", "answer:34/D1.1", {"value": 2, "comment": None, "confidence": None},
                    {"value": 3, "comment": "Beslut 2026-02", "confidence": "high", "revision": 2, "round": "2026"})
    assert ui.audit_what(answer) == "Svar sparat: D1.1 2 → 3, kommentar ändrad, säkerhet hög"
    first = _entry("answer.save", "answer:34/D8.2", None, {"value": "na", "comment": None, "confidence": None})
    assert ui.audit_what(first) == "Svar sparat: D8.2 – → ej relevant"
    submit = _entry("assessment.submit", "assessment:12", {"status": "draft"}, {"status": "submitted"})
    assert ui.audit_what(submit) == "Analys inlämnad: status utkast → inlämnad"
    assert ui.local_time(answer.at) == "2026-03-25 03:07"  # winter time until 29 March: UTC+1
    assert ui.local_time(dt.datetime(2026, 4, 7, 1, 46, tzinfo=dt.UTC), seconds=True) == "2026-04-07 03:46:00"
    assert ui.local_time(dt.datetime(2026, 12, 1, 15, 31, tzinfo=dt.UTC)) == "2026-12-01 16:31"
    table = ui.audit_table([answer])
    assert list(table.columns) == ["När", "Vem", "Vad"]


def test_the_audit_log_and_the_overview_show_no_dicts(demo_db):
    at = page("admin", ADMIN)
    at.session_state["admin_tab_sv"] = "Granskningslogg"
    at.run()
    log = at.dataframe[-1].value
    assert not log["Vad"].str.contains("{", regex=False).any()
    assert log["Vad"].str.startswith("Svar sparat: D").any()
    lead = page("overview", LEAD, region="19", round_="2026")
    table = lead.table[-1].value
    assert not table["Vad"].str.contains("{", regex=False).any()
    assert not table["Vad"].str.contains("answer.save", regex=False).any()


def test_a_complete_analysis_is_submitted_in_two_steps_too(demo_db, monkeypatch):
    from app.parts import fill

    db, _ = demo_db
    monkeypatch.setattr(fill, "missing_overview", lambda *args: [])  # as if every indicator were answered
    at = app("sv", LEAD)
    at.session_state["chosen_region"] = "19"
    at.run()
    at.switch_page("app/views/fill.py").run()
    assert "Alla indikatorer är besvarade." in [s.value for s in at.success]
    assert at.button(key="submit_assessment").disabled
    at.checkbox(key="submit_confirm").check().run()
    at.button(key="submit_assessment").click().run()
    assert store.get_assessment(db, store.system_identity(), "19", "2026").status == "submitted"
