"""User text is text: nothing a person typed is rendered as Markdown or HTML, and pages load nothing from
other hosts."""

from __future__ import annotations

import re

import store
from app.widgets import literal
from tests.app.conftest import ADMIN, app

MARKDOWN_NAME = "Kim ![t](http://127.0.0.1:9/track.png) **fet** [länk](http://127.0.0.1:9/) :red[röd]"


def _unescaped(text: str, token: str) -> bool:
    """`token` occurs in `text` without a backslash before its first character."""
    return re.search(r"(?<!\\)" + re.escape(token), text) is not None


def test_a_markdown_name_is_shown_literally_when_signed_in(demo_db):
    db, _ = demo_db
    system = store.system_identity()
    store.create_user(db, system, "kim@example.se", MARKDOWN_NAME, password="ett-långt-lösenord-2026",
                      regions={"19": "viewer"})
    at = app("sv", "kim@example.se").run()
    assert not at.exception
    shown = next(m.value for m in at.sidebar.markdown if "Inloggad som" in m.value)
    assert literal(MARKDOWN_NAME) in shown
    for token in ("![", "](http", ":red[", "[länk]"):
        assert not _unescaped(shown, token), shown


def test_literal_escapes_every_markdown_construct():
    for text in ("![t](http://host/track.png)@x.se", "<img src=x onerror=alert(1)>", "# rubrik", "1. lista",
                 "`kod`", "~~stryk~~", "$x$", "www.example.se", "a_b_c", "| t | a |", ":material/home:"):
        escaped = literal(text)
        # every Markdown-special character is preceded by a backslash (walk the escaped text pairwise)
        i = 0
        while i < len(escaped):
            if escaped[i] == "\\":
                i += 2
                continue
            assert escaped[i] not in "![]()<>#`~$|:_*.-", (text, escaped, i)
            i += 1
        # unescaping the backslashes gives back exactly what was typed
        assert re.sub(r"\\(.)", r"\1", escaped) == text


def test_admin_pages_show_user_names_literally(demo_db):
    db, _ = demo_db
    store.create_user(db, store.system_identity(), "kim@example.se", MARKDOWN_NAME, password="ett-långt-lösenord-2026")
    at = app("sv", ADMIN).run()
    at.switch_page("app/views/admin.py").run()
    assert not at.exception
    for element in (*at.markdown, *at.info, *at.warning, *at.success, *at.error):
        assert "![t](http" not in element.value or literal(MARKDOWN_NAME) in element.value
