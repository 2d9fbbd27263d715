"""One input rule set for free text (questionnaires/freetext.py), and the store applying it to every write.

Multi-line text (comments, action-plan fields): line breaks pasted from Word/PowerPoint become LF; every other
control character, NUL and broken (surrogate) characters are refused, naming the field. Single-line text
(names, e-mail addresses, labels, organisations, respondent ids): no control character at all. A refusal is
`store.Invalid` naming the field (and respondent/indicator where known), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import openpyxl
import pytest

import store
from questionnaires import freetext
from questionnaires.actionplan import PlanItem
from questionnaires.answers import AnswersFile, RespondentAnswers
from questionnaires.text import Text

FIELD = Text("kommentaren", "the comment")


# -- the rule itself -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "clean"), [
    ("rad ett\r\nrad två", "rad ett\nrad två"),
    ("rad ett\rrad två", "rad ett\nrad två"),
    ("a\x0bb\x0cc\x85d\u2028e\u2029f", "a\nb\nc\nd\ne\nf"),  # what PowerPoint and Word put on the clipboard
    ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
    ("åäö ✓ “citat” – 😀", "åäö ✓ “citat” – 😀"),
])
def test_multiline_text_normalises_line_breaks(raw, clean):
    assert freetext.multiline(raw) == clean
    assert freetext.multiline_problems(clean, FIELD) == []


@pytest.mark.parametrize(("raw", "code", "char"), [
    ("a\x00b", "control_char", "U+0000"),
    ("bell\x07", "control_char", "U+0007"),
    ("esc\x1b[31m", "control_char", "U+001B"),
    ("del\x7f", "control_char", "U+007F"),
    ("c1\x9b", "control_char", "U+009B"),
    ("half \ud83d pair", "broken_char", "U+D83D"),
    ("lone \udfff", "broken_char", "U+DFFF"),
    ("not a char \uffff", "control_char", "U+FFFF"),
])
def test_multiline_text_refuses_other_control_characters_naming_the_field(raw, code, char):
    problems = freetext.multiline_problems(freetext.multiline(raw), FIELD)
    assert [p.code for p in problems] == [code]
    sv, en = problems[0].message("sv"), problems[0].message("en")
    assert sv.startswith("kommentaren ") and en.startswith("the comment ")
    assert char in sv and char in en
    assert "\n" not in sv and "\n" not in en


def test_the_position_of_the_refused_character_is_given():
    problem = freetext.multiline_problems("abc\x01", FIELD)[0]
    assert "4" in problem.message("sv") and "4" in problem.message("en")


@pytest.mark.parametrize("raw", ["two\nlines", "cr\r", "tab\there", "nul\x00", "ls\u2028", "ps\u2029", "nel\x85",
                                 "vt\x0b", "broken \ud800"])
def test_single_line_text_refuses_every_control_character(raw):
    problems = freetext.single_line_problems(raw, Text("namnet", "the name"))
    assert len(problems) == 1
    assert problems[0].message("sv").startswith("namnet ")


def test_length_limits_are_checked_on_the_normalised_text():
    assert freetext.multiline_problems("x" * 10, FIELD, limit=10) == []
    assert [p.code for p in freetext.multiline_problems("x" * 11, FIELD, limit=10)] == ["too_long"]
    assert freetext.multiline("x\r\n" * 5) == "x\n" * 5  # CRLF counts as one character once normalised
    assert [p.code for p in freetext.single_line_problems("y" * 41, FIELD, limit=40)] == ["too_long"]


@pytest.mark.parametrize("address", ["anna.lind@region.se", "a+tag@sub.region-vastmanland.se", "x_y%z-1@a-b.se",
                                     "admin@demo.invalid", "ANNA@REGION.SE"])
def test_conservative_email_pattern_accepts_ordinary_addresses(address):
    assert freetext.is_email(address)


@pytest.mark.parametrize("address", ["![t](http://host/track.png)@x.se", "a b@x.se", "a@x", "a@@x.se", "@x.se", "a@.se",
                                     "a@x..se", ".a@x.se", "a.@x.se", "a..b@x.se", "a@-x.se", "a@x-.se",
                                     "\"q\"@x.se", "a<script>@x.se", "a@x.se\n", "a\x00@x.se", "åsa@x.se", "a@x.s",
                                     "a@x.se.", "a=b@x.se", "a'b@x.se", "a@[127.0.0.1]", "", "x" * 250 + "@x.se"])
def test_conservative_email_pattern_refuses_anything_else(address):
    assert not freetext.is_email(address)


@pytest.mark.parametrize(("raw", "clean"), [
    ("vanlig text åäö", "vanlig text åäö"),
    ("a\x00b\x01c\x08d\x0be\x0cf\x0eg\x1fh", "abcdefgh"),
    ("tab\tlf\ncr\r", "tab\tlf\ncr\r"),
    ("lone \ud800 high", "lone \ufffd high"),
    ("lone \udc00 low", "lone \ufffd low"),
    ("pair \ud83d\ude00 joined", "pair 😀 joined"),
    ("nonchars \ufffe\uffff", "nonchars "),
    ("", ""),
])
def test_sanitise_for_export_drops_what_xml_refuses(raw, clean):
    assert freetext.sanitise_for_export(raw) == clean


def test_sanitised_text_is_accepted_by_openpyxl(tmp_path):
    nasty = "".join(chr(code) for code in range(0, 0x20)) + "\ud800\udfff\ufffe\uffff" + "\x7f\x85\x9f" + "ok"
    wb = openpyxl.Workbook()
    wb.active["A1"] = freetext.sanitise_for_export(nasty)
    wb.save(tmp_path / "ok.xlsx")
    assert openpyxl.load_workbook(tmp_path / "ok.xlsx").active["A1"].value.endswith("ok")
    assert freetext.sanitise_for_export(None) == ""


def test_shown_values_are_one_line_and_short():
    shown = freetext.shown("a\nb\x00" + "x" * 500)
    assert "\n" not in shown and "\x00" not in shown and len(shown) < 100


# -- the store applies it to every write -------------------------------------------------------------------------

def _one_line(error: store.Invalid) -> None:
    for lang in ("sv", "en"):
        assert all("\n" not in line for line in error.lines(lang))


def test_save_answer_normalises_pasted_line_breaks(world):
    db, w = world
    store.save_answer(db, w.lead, w.lead_sheet, "D1.2", 2, comment="Från Word:\r\nrad två\u2028rad tre\x0c")
    stored = {r.indicator: r for r in store.current_answers(db, w.lead, w.assessment) if r.respondent_id == w.lead_sheet}
    assert stored["D1.2"].comment == "Från Word:\nrad två\nrad tre\n"


@pytest.mark.parametrize("comment", ["nul\x00byte", "bell\x07", "broken \ud800"])
def test_save_answer_refuses_control_characters_the_same_on_both_backends(world, comment):
    db, w = world
    before = store.answer_history(db, w.lead, w.lead_sheet, "D1.2")
    with pytest.raises(store.Invalid) as caught:
        store.save_answer(db, w.lead, w.lead_sheet, "D1.2", 2, comment=comment)
    line = caught.value.message("sv")
    assert line.startswith("respondent r1: indikator D1.2: kommentaren ")
    assert caught.value.message("en").startswith("respondent r1: indicator D1.2: the comment ")
    _one_line(caught.value)
    assert store.answer_history(db, w.lead, w.lead_sheet, "D1.2") == before


def test_import_refuses_control_characters_in_comments_and_names_and_writes_nothing(world):
    db, w = world
    people = (RespondentAnswers("r1", "region", None, None, {"D1.2": 2}, {"D1.2": "ok\x00"}, {}),
              RespondentAnswers("r9", "af", "Ny\x1b[2Jpartner", "Org\tAB", {"D1.1": 1}, {}, {}))
    before = store.current_answers(db, w.admin, w.assessment)
    with pytest.raises(store.Invalid) as caught:
        store.import_answers(db, w.admin, AnswersFile("metodexempel@1", "19", "2025", people))
    lines = caught.value.lines("en")
    assert any(line.startswith("respondent r1: indicator D1.2: the comment ") for line in lines)
    assert any(line.startswith("respondent r9: the name ") for line in lines)
    assert any(line.startswith("respondent r9: the organisation ") for line in lines)
    _one_line(caught.value)
    assert store.current_answers(db, w.admin, w.assessment) == before
    assert len(store.list_respondents(db, w.admin, w.assessment)) == 2


def test_import_normalises_comments(world):
    db, w = world
    people = (RespondentAnswers("r1", "region", None, None, {"D1.2": 2}, {"D1.2": "a\r\nb\u2029c"}, {}),)
    store.import_answers(db, w.admin, AnswersFile("metodexempel@1", "19", "2025", people))
    stored = {(r.respondent_id, r.indicator): r for r in store.current_answers(db, w.admin, w.assessment)}
    assert stored[(w.lead_sheet, "D1.2")].comment == "a\nb\nc"


@pytest.mark.parametrize("field", ["action", "owner", "resources", "success_indicator"])
def test_save_plan_refuses_control_characters_in_every_text_field(world, field):
    db, w = world
    values = {"action": "Åtgärd", field: "text\x00med NUL"}
    item = PlanItem(None, "D1", **values)
    with pytest.raises(store.Invalid) as caught:
        store.save_plan(db, w.lead, w.assessment, [item])
    assert caught.value.message("sv").startswith("åtgärd 1: ")
    assert "U+0000" in caught.value.message("en")
    _one_line(caught.value)
    assert store.plan_version(db, w.lead, w.assessment) == 0


def test_save_plan_refuses_bad_text_in_source_action_and_extra(world):
    db, w = world
    items = [PlanItem(None, "D1", "A", source_action="steg\n1"),
             PlanItem(None, "D1", "B", extra={"Kommentar": "bell\x07"}),
             PlanItem(None, "D1", "C", extra={"ny\x00kolumn": "x"}),
             PlanItem(None, "D1", "D", source_action="x" * 101)]
    with pytest.raises(store.Invalid) as caught:
        store.save_plan(db, w.lead, w.assessment, items)
    lines = caught.value.lines("sv")
    assert [line.split(":")[0] for line in lines] == ["åtgärd 1", "åtgärd 2", "åtgärd 3", "åtgärd 4"]
    _one_line(caught.value)


def test_save_plan_normalises_pasted_line_breaks(world):
    db, w = world
    item = PlanItem(None, "D1", "Steg ett\r\nSteg två", owner="Anna\u2028Lind", resources="a\x0bb",
                    success_indicator="x\u2029y", extra={"Notering": "p\r\nq"})
    store.save_plan(db, w.lead, w.assessment, [item])
    saved = store.plan_items(db, w.lead, w.assessment)[0]
    assert (saved.action, saved.owner, saved.resources, saved.success_indicator) == (
        "Steg ett\nSteg två", "Anna\nLind", "a\nb", "x\ny")
    assert saved.extra == {"Notering": "p\nq"}
    # Saving the same text as pasted again changes nothing.
    assert store.save_plan(db, w.lead, w.assessment, [saved]) == 1


@pytest.mark.parametrize(("name", "email"), [("Anna\nLind", "anna@region.se"), ("Anna\x00Lind", "anna@region.se"),
                                             ("Anna\u2028Lind", "anna@region.se"), ("Anna", "![t](http://host/track.png)@x.se"),
                                             ("Anna", "anna@region.se\x00"), ("Anna\ud800", "anna@region.se")])
def test_create_user_refuses_control_characters_and_odd_addresses(db, admin, name, email):
    with pytest.raises(store.Invalid) as caught:
        store.create_user(db, admin, email, name)
    assert {p.code for p in caught.value.problems} <= {"bad_email", "control_char", "broken_char", "line_break"}
    _one_line(caught.value)
    assert store.list_users(db, admin) == []


@pytest.mark.parametrize("label", ["2026\x00", "20\x1b26", "2026\u2028", "2026\ud800"])
def test_open_round_refuses_control_characters_in_labels(db, admin, label, example):
    store.register_questionnaire(db, admin, example)
    with pytest.raises(store.Invalid) as caught:
        store.open_round(db, admin, label, example.ref)
    assert len(caught.value.problems) == 1
    _one_line(caught.value)
    assert store.list_rounds(db, admin) == []


@pytest.mark.parametrize(("kwargs", "start"), [
    ({"name": "Ny\x00"}, "namnet "),
    ({"name": "Ny", "organisation": "Org\x07"}, "organisationen "),
    ({"name": "Ny", "key": "r\x009"}, "respondent-id"),
    ({"name": "Ny", "user_email": "![t](http://host/track.png)@x.se"}, "ogiltig e-postadress"),
])
def test_add_respondent_refuses_control_characters(world, kwargs, start):
    db, w = world
    with pytest.raises(store.Invalid) as caught:
        store.add_respondent(db, w.lead, w.assessment, role="af", **kwargs)
    assert caught.value.message("sv").startswith(start)
    _one_line(caught.value)
    assert len(store.list_respondents(db, w.lead, w.assessment)) == 2


# -- looking text up: a key no database can hold is simply not there, on both backends ---------------------------

@pytest.mark.parametrize("odd", ["\x00", "\ud800"])
def test_lookups_by_text_with_nul_or_broken_characters_find_nothing_on_both_backends(world, odd):
    db, w = world
    with pytest.raises(store.AuthFailed) as caught:
        store.authenticate(db, f"ledare19{odd}@test.se", "rätt-lösenord-123")
    assert caught.value.reason == "invalid"
    assert store.identity_for_email(db, f"ledare19{odd}@test.se") is None
    with pytest.raises(store.NotFound):
        store.get_user(db, w.admin, f"ledare19{odd}@test.se")
    with pytest.raises(store.NotFound):
        store.set_membership(db, w.admin, f"ledare19{odd}@test.se", "19", "viewer")
    with pytest.raises(store.NotFound):
        store.get_round(db, w.admin, f"2025{odd}")
    with pytest.raises(store.NotFound):
        store.close_round(db, w.admin, f"2025{odd}")
    assert store.answer_history(db, w.lead, w.lead_sheet, f"D1.1{odd}") == []
    people = (RespondentAnswers("r1", "region", None, None, {"D1.2": 2}, {}, {}),)
    with pytest.raises(store.Invalid) as caught:
        store.import_answers(db, w.admin, AnswersFile(f"metodexempel@1{odd}", "19", f"2025{odd}", people))
    assert {p.code for p in caught.value.problems} >= {"unknown_round", "unknown_questionnaire"}
    _one_line(caught.value)
    assert all(odd not in line for line in caught.value.lines("sv"))


def test_an_odd_indicator_id_is_quoted_back_on_one_line(world):
    db, w = world
    with pytest.raises(store.Invalid) as caught:
        store.save_answer(db, w.lead, w.lead_sheet, "D1.1\n\x00", 2)
    _one_line(caught.value)
    assert "\x00" not in caught.value.message("sv") and "U+0000" in caught.value.message("en")
