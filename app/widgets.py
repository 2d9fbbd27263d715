"""Building blocks shared by several pages: result tables with Swedish number formatting."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.i18n import lang, t
from questionnaires.model import Questionnaire
from reports import formatting as fmt


def stage_text(stage_label: str | None, reason: str | None = None) -> str:
    if stage_label:
        return stage_label
    return t("no_applicable") if reason == "not_applicable" else t("insufficient")


def overall_metrics(summary: dict) -> None:
    L = lang()
    overall = summary["overall"]
    left, middle, right = st.columns(3)
    left.metric(t("overall"), fmt.decimal(overall["score"], L, 2))
    middle.metric(t("percent"), fmt.percent(overall["percent"], L))
    right.metric(t("col_stage"), stage_text(overall["stage_label"]))


def dimension_table(summary: dict, q: Questionnaire) -> pd.DataFrame:
    L = lang()
    rows = []
    for dim in summary["dimensions"]:
        rows.append({
            t("dimension"): f"{dim['id']} {q.dimension_by_id[dim['id']].title[L]}",
            t("score"): fmt.decimal(dim["score"], L, 2),
            t("percent"): fmt.percent(dim["percent"], L),
            t("col_stage"): stage_text(dim["stage_label"]),
            t("completeness"): fmt.share(dim["completeness"], L),
        })
    return pd.DataFrame(rows).set_index(t("dimension"))


def disagreement_list(summary: dict, q: Questionnaire) -> None:
    L = lang()
    flagged = [i for i in summary["indicators"] if i["disagreement"]]
    st.subheader(t("disagreement_heading"))
    if not flagged:
        st.write(t("no_disagreement"))
        return
    st.table(pd.DataFrame([{t("indicator"): f"{i['id']} {q.indicator_by_id[i['id']].statement[L]}",
                            t("value"): fmt.decimal(i["value"], L, 1), t("spread"): fmt.decimal(i["spread"], L, 0)}
                           for i in flagged]).set_index(t("indicator")))


def indicator_table(summary: dict, q: Questionnaire) -> pd.DataFrame:
    L = lang()
    return pd.DataFrame([{
        t("indicator"): f"{i['id']} {q.indicator_by_id[i['id']].statement[L]}",
        t("value"): fmt.decimal(i["value"], L, 1),
        t("status"): t(f"status_{i['status']}"),
        t("respondents"): i["respondents"],
        t("spread"): fmt.decimal(i["spread"], L, 0),
    } for i in summary["indicators"]]).set_index(t("indicator"))


def plan_proposals(summary: dict, q: Questionnaire) -> None:
    L = lang()
    st.subheader(t("plan_heading"))
    for item in summary["plan"]:
        if not item["gap"]:
            continue
        dimension = q.dimension_by_id[item["dimension"]]
        stage = next(s for s in q.stages if s.id == item["target_stage"])
        st.markdown(f"**{dimension.id} {dimension.title[L]}** – {t('target')}: {stage.name[L]} "
                    f"({fmt.decimal(item['target'], L)}), {t('gap')} {fmt.decimal(item['gap'], L, 2)}, "
                    f"{t('priority')} {fmt.decimal(item['priority'], L, 2)}")
        st.markdown("\n".join(f"- {a['indicator']} {a['from_level']}→{a['to_level']}: {a['text']}" for a in item["actions"]))


# -- pickers that remember the choice across pages ---------------------------------------------------------

def level_label(q, value) -> str:
    """An answer as people read it: '3 Etablerad', or 'Vet ej' / 'Ej relevant'."""
    if isinstance(value, str):
        return q.special_name(value)[lang()]
    return f"{value} {q.levels[value].name[lang()]}"


def labels(options, describe) -> callable:
    """A format function with every label made now, in the session's language: AppTest calls format
    functions outside the script run, where the session (and so its language) is not at hand."""
    made = {option: describe(option) for option in options}
    return made.__getitem__


def choose(label: str, options: list, memory: str, format_func=str, widget: str | None = None):
    """A selectbox whose choice is kept under `memory`, so every page opens on the same region or round."""
    if not options:
        return None
    stored = st.session_state.get(memory)
    index = options.index(stored) if stored in options else 0
    # the language is part of the key: a formatted option must never outlive a language switch
    choice = st.selectbox(label, options, index=index, format_func=labels(options, format_func),
                          key=widget or f"_w_{memory}_{lang()}")
    st.session_state[memory] = choice
    return choice


def region_name(code: str) -> str:
    from questionnaires.regions import region_by_code

    region = region_by_code().get(code)
    return region.name if region else code


def choose_region(codes: list[str], widget: str | None = None) -> str | None:
    return choose(t("section_region"), sorted(codes), "chosen_region", region_name, widget)


def choose_round(rounds: list, widget: str | None = None):
    """Rounds newest first; the open round is preselected the first time."""
    ordered = sorted(rounds, key=lambda r: (r.opened_at, r.id), reverse=True)
    labels = [r.label for r in ordered]
    if "chosen_round" not in st.session_state:
        open_ = [r.label for r in ordered if r.open]
        if open_:
            st.session_state["chosen_round"] = open_[0]
    by_label = {r.label: r for r in ordered}

    def show(label: str) -> str:
        found = by_label[label]
        state = t("round_open") if found.open else t("round_closed")
        published = f", {t('round_published')}" if found.published else ""
        return f"{label} ({state}{published})"

    label = choose(t("round"), labels, "chosen_round", show, widget)
    return by_label.get(label)


def status_label(status: str) -> str:
    from store import ASSESSMENT_STATUSES

    return ASSESSMENT_STATUSES[status][lang()]


# -- charts: always with a title, a short description and the data table behind them -------------------------

def formatted(table: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """Numbers as text in the user's language (decimal comma in Swedish); other columns as they are."""
    L = lang()
    shown = table.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = [fmt.decimal(v, L, digits) for v in shown[column]]
    return shown


def chart(title: str, description: str, figure, table: pd.DataFrame, key: str, columns: dict[str, str] | None = None) -> None:
    """A chart with its title, a description in words and the data table behind it (WCAG: never a chart alone)."""
    draw_chart(title, description, figure, _shown(table, columns), key)


def chart_parts(figure, table: pd.DataFrame, columns: dict[str, str] | None = None) -> tuple:
    """(spec, shown table): what `draw_chart` needs, for a page that remembers it between reruns. Building an
    Altair chart's spec validates it against the Vega-Lite schema, 30–90 ms a chart; a remembered spec skips
    that when the data did not change."""
    return vega_lite(figure), _shown(table, columns)


def _shown(table: pd.DataFrame, columns: dict[str, str] | None) -> pd.DataFrame:
    shown = formatted(table)
    if columns:
        shown = shown[[c for c in columns if c in shown.columns]].rename(columns=columns)
    return shown


def vega_lite(figure):
    """The chart as the Vega-Lite spec st.altair_chart would send (Streamlit's own conversion, data as Arrow);
    the figure itself when this Streamlit keeps that conversion elsewhere (then it is drawn as Altair)."""
    try:
        from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    except ImportError:
        return figure
    return _convert_altair_to_vega_lite_spec(figure)


def draw_chart(title: str, description: str, spec, shown: pd.DataFrame, key: str) -> None:
    """An Altair chart or a Vega-Lite spec from `chart_parts`, with its title, words and data table."""
    st.subheader(title)
    st.write(description)
    if isinstance(spec, dict):  # a shallow copy: Streamlit moves the datasets out of the top level it is given
        st.vega_lite_chart(spec=dict(spec), theme=None, key=f"chart_{key}")
    else:
        st.altair_chart(spec, theme=None, key=f"chart_{key}")
    with st.expander(t("data_table_for", title=title)):
        st.dataframe(shown, hide_index=True, width="stretch", key=f"table_{key}")


# -- the opening every work page shares: a round, a region, its assessment — or a plain message ---------------

def round_or_stop(rounds: list, empty: str = "no_rounds"):
    if not rounds:
        st.info(t(empty))
        st.stop()
    return choose_round(rounds)


def region_or_stop(codes: list[str], empty: str = "no_results_visible") -> str:
    if not codes:
        st.info(t(empty))
        st.stop()
    return choose_region(codes)


def assessment_or_stop(db, who, region: str, round_label: str, may_start: bool = False):
    """The region's assessment in the round; otherwise a message (and for a lead, a start button)."""
    import store

    try:
        return store.get_assessment(db, who, region, round_label)
    except (store.NotFound, store.Forbidden):
        st.info(t("assessment_missing", region=region_name(region), round=round_label))
        if may_start and st.button(t("start_assessment"), type="primary", key="start_assessment"):
            store.ensure_assessment(db, who, region, round_label)
            st.rerun()
        st.stop()


def result_regions(db, who, chosen) -> list[str]:
    """Regions whose results in the round this person may open (the store's rule)."""
    import store

    return store.regions_with_results(db, who, chosen.label)


# -- problems: every line shown as plain text, never as Markdown (a line may quote what someone typed) -------

_MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#+-.!|~:$&=\"'")


def literal(text: object) -> str:
    """`text` escaped so that Streamlit's Markdown shows it exactly as typed: no links, images, emphasis,
    colour or icon directives (every ASCII punctuation mark may be backslash-escaped in CommonMark)."""
    out = []
    for char in str(text):
        if char in _MARKDOWN_SPECIAL:
            out.append("\\" + char)
        elif char in "\r\n":
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def problem_list(lines: list[str], title: str = "file_problems") -> None:
    st.error(t(title) + "\n\n" + "\n".join(f"- {literal(line)}" for line in lines))


# -- progress: from the page's one Snapshot (service.progress) -------------------------------------------------

def dimension_progress(snapshot, q) -> pd.DataFrame | None:
    """Completeness per dimension (0 before any answer), or None when the user may not see the answers."""
    if not snapshot.visible:
        return None
    dims = snapshot.dimensions
    shares = [float(dims.loc[d.id, "completeness"]) if dims is not None else 0.0 for d in q.dimensions]
    return pd.DataFrame({
        "label": [f"{d.id} {d.title[lang()]}" for d in q.dimensions],
        "completeness": shares,
        "completeness_text": [fmt.share(share, lang()) for share in shares],
    })


def respondent_progress(snapshot, q, respondents) -> pd.DataFrame:
    """One row per respondent sheet the user may see: role, answered / asked."""
    given: dict[int, int] = {}
    for record in snapshot.answers:
        if record.value is not None:
            given[record.respondent_id] = given.get(record.respondent_id, 0) + 1
    rows = []
    for r in respondents:
        asked = sum(1 for ind in q.indicators if ind.applies_to(r.role))
        rows.append({t("respondent"): r.name, t("role"): q.role_by_id[r.role].name[lang()] if r.role in q.role_by_id else r.role,
                     t("answered"): f"{given.get(r.id, 0)} / {asked}",
                     t("completeness"): fmt.share(given.get(r.id, 0) / asked if asked else 0, lang())})
    return pd.DataFrame(rows).set_index(t("respondent")) if rows else pd.DataFrame()


def partner_progress(snapshot, q, respondents) -> tuple[pd.DataFrame, int, int] | None:
    """Method 2's progress per dimension, or None when the user may not see the answers: completeness over
    every partner sheet of the analysis (answers with a level / answers asked, so a partner who has answered
    nothing lowers it), and, in plain words, why a running score would be uncertain. Also (partners without
    any answer, partners)."""
    from reports import describe
    from scoring.summary import LOW_REASONS

    if not snapshot.visible:
        return None
    L = lang()
    dims = snapshot.dimensions
    rows = []
    for d in q.dimensions:
        row = dims.loc[d.id] if dims is not None else None
        share = float(row["answered_share"]) if row is not None and pd.notna(row["answered_share"]) else 0.0
        uncertain = ""
        if row is not None and bool(row.get("low_confidence", False)):
            uncertain = describe.uncertain([word for column, word in LOW_REASONS.items() if bool(row[column])], L,
                                           respondents=int(row["panel"]), lo=row["interval_lo"],
                                           hi=row["interval_hi"], completeness=row["completeness"])
        rows.append({"label": f"{d.id} {d.title[L]}", "completeness": share,
                     "completeness_text": fmt.share(share, L), "confidence": uncertain})
    answered = {record.respondent_id for record in snapshot.answers if record.value is not None}
    missing = sum(1 for r in respondents if r.id not in answered)
    return pd.DataFrame(rows), missing, len(respondents)


# -- one clock: every time a page shows is Swedish time (Europe/Stockholm), written the ISO way -----------------

LOCAL_ZONE = "Europe/Stockholm"


def local_time(moment, seconds: bool = False) -> str:
    """'2026-12-01 21:07' in Swedish time, whatever the language; a naive moment is taken as UTC (the store's
    clock); '' for none."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo(LOCAL_ZONE)).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def local_date(moment) -> str:
    """The ISO date in Swedish time ('' for none)."""
    return local_time(moment)[:10]


# -- the audit log in words: "Svar sparat: D1.1 2 → 3", never a dict ------------------------------------------

def _answer_value(value) -> str:
    if value is None:
        return "–"
    if value in ("na", "dk"):
        return t(f"answer_{value}")
    return str(value)


def audit_what(entry) -> str:
    """What an audit entry did, in the session's language."""
    from app.i18n import UI

    code = "audit_" + entry.action.replace(".", "_")
    name = t(code) if code in UI else entry.action
    if entry.action == "answer.save":
        new, old = entry.new or {}, entry.old or {}
        indicator = entry.target.rsplit("/", 1)[-1]
        parts = []
        if not old or old.get("value") != new.get("value"):
            parts.append(f"{indicator} {_answer_value(old.get('value')) if old else '–'} → {_answer_value(new.get('value'))}")
        else:
            parts.append(indicator)
        if (old.get("comment") or None) != (new.get("comment") or None):
            parts.append(t("audit_comment_changed") if old else t("audit_comment_given"))
        if (old.get("confidence") or None) != (new.get("confidence") or None) and new.get("confidence"):
            parts.append(t("audit_confidence", level=t(f"confidence_{new['confidence']}")))
        return f"{name}: " + ", ".join(parts)
    detail = _changes(entry.old, entry.new)
    return f"{name}: {detail}" if detail else name


AUDIT_FIELDS = ("status", "published", "removed", "disabled", "name", "email", "label", "questionnaire", "owner",
                "start", "due", "action", "indicators", "round", "value", "answered", "asked", "national_role",
                "resources", "success", "dimension")


def _changes(old, new) -> str:
    """A short 'fält: före → efter' list of a record's changed fields the page has words for (no JSON, no braces,
    no internal field names)."""
    from questionnaires.actionplan import STATUSES as PLAN_STATUSES
    from store import ASSESSMENT_STATUSES

    def plain(value) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return t("yes") if value else t("no")
        if isinstance(value, list | tuple):
            return ", ".join(plain(v) for v in value)
        if isinstance(value, dict):
            return "…"
        if isinstance(value, str) and value in ASSESSMENT_STATUSES:
            return ASSESSMENT_STATUSES[value][lang()]
        if isinstance(value, str) and value in PLAN_STATUSES:
            return PLAN_STATUSES[value][lang()]
        if value in ("open", "closed"):
            return t(f"round_{value}")
        return str(value)

    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    shown = []
    for key in AUDIT_FIELDS:
        if key not in old and key not in new or old.get(key) == new.get(key):
            continue
        word = t(f"audit_field_{key}")
        shown.append(f"{word} {plain(old[key])} → {plain(new.get(key))}" if key in old else f"{word} {plain(new[key])}")
    return "; ".join(shown[:5])


def audit_table(entries, region: bool = False, seconds: bool = False) -> pd.DataFrame:
    """The audit log as a table in words and in Swedish time."""
    rows = []
    for e in entries:
        row = {t("when"): local_time(e.at, seconds), t("who"): e.actor, t("what"): audit_what(e)}
        if region:
            row[t("section_region")] = region_name(e.region) if e.region else ""
        rows.append(row)
    return pd.DataFrame(rows)


# -- Streamlit's own words in Swedish -------------------------------------------------------------------------
# Streamlit 1.67 hard-codes a few English words in its front end and offers no way to relabel them: the file
# uploader's "Drag and drop file here", "Upload" and "10MB per file" (upstream streamlit/streamlit#13500, open;
# PR #10042 was closed unmerged), the "Skip to main content" link, and the screen-reader labels "Link to heading", "Show password" and "Hide
# password" (in Swedish "Visa tecknen": a label with "lösenord" in it would be a second "Lösenord" field to
# assistive technology and to tests that find the field by its label). This script swaps them for the session's words in place (text nodes and aria-labels, so React keeps
# its own nodes) and again whenever Streamlit redraws them. Our own text only, no user input.

_WORDS = """<script>
window.__mognadWords = %(words)s;
(() => {
  if (window.__mognadWordsOn) return;
  window.__mognadWordsOn = true;
  const swapText = (node) => {
    const w = window.__mognadWords;
    const said = node.nodeValue;
    if (!said || !said.trim()) return;
    let now = w.text[said.trim()];
    if (now === undefined) {
      const size = /^(\\d+(?:\\.\\d+)?)\\s?(KB|MB|GB) per file$/.exec(said.trim());
      if (size) now = w.per_file.replace('{size}', size[1] + ' ' + size[2]);
    }
    if (now !== undefined && now !== said) node.nodeValue = now;
  };
  const swap = () => {
    const w = window.__mognadWords;
    for (const box of document.querySelectorAll('[data-testid="stFileUploader"]')) {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) swapText(node);
    }
    for (const link of document.querySelectorAll('a[href="#stMain"]')) {
      const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) swapText(node);
    }
    for (const el of document.querySelectorAll('[aria-label]')) {
      const said = el.getAttribute('aria-label');
      let now = w.aria[said];
      if (now === undefined && said.startsWith('Help for ')) now = w.help_for.replace('{label}', said.slice(9));
      if (now !== undefined && now !== said) el.setAttribute('aria-label', now);
    }
  };
  new MutationObserver(swap).observe(document.body, {childList: true, subtree: true, characterData: true,
                                                     attributes: true, attributeFilter: ['aria-label']});
  swap();
  // on a phone the sidebar lies over the page: a choice in the menu closes it (Streamlit does so only for its own
  // st.navigation menu, and ours is drawn with page links)
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('[data-testid="stSidebar"] a[href]');
    if (!link || window.innerWidth > 768) return;
    setTimeout(() => {
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (close) close.click();
    }, 50);
  }, true);
})();
</script>"""


def streamlit_words() -> None:
    """Draw the swap script (its words empty in English, where Streamlit's are already right) and the phone menu."""
    import json

    if lang() == "en":
        words = {"text": {}, "per_file": "{size} per file", "aria": {}, "help_for": "Help for {label}"}
        st.html(_WORDS % {"words": json.dumps(words)}, unsafe_allow_javascript=True, width="content")
        return
    words = {
        "text": {"Drag and drop file here": t("uploader_drop"), "Drag and drop a file here": t("uploader_drop"),
                 "Drag and drop files here": t("uploader_drop_many"), "Upload": t("uploader_button"),
                 "Browse files": t("uploader_button"), "Skip to main content": t("skip_to_main")},
        "per_file": t("uploader_limit", size="{size}"),
        "aria": {"Link to heading": t("aria_heading_link"), "Show password": t("aria_show_password"),
                 "Hide password": t("aria_hide_password"), "Main menu": t("aria_main_menu"),
                 "Sidebar": t("aria_sidebar"), "Expand sidebar": t("aria_expand_sidebar"),
                 "Collapse sidebar": t("aria_collapse_sidebar"),
                 # not "Open", "Close", "Clear value" or "Choose date": relabelling a select's or date picker's
                 # own controls while it opens closes its list again (the dropdown never shows)
                 "Notifications": t("aria_notifications"), "App pages": t("aria_app_pages"),
                 "Scroll tabs left": t("aria_tabs_left"), "Scroll tabs right": t("aria_tabs_right")},
        "help_for": t("aria_help_for", label="{label}"),
    }
    st.html(_WORDS % {"words": json.dumps(words, ensure_ascii=False)}, unsafe_allow_javascript=True, width="content")


_TOP = """<script>
/* %(nonce)s */
(() => {
  const top = () => {
    window.scrollTo(0, 0);
    for (const el of document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], section.main'))
      if (el.scrollTop) el.scrollTop = 0;
    const heading = document.querySelector('[data-testid="stMain"] h2');
    if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus({preventScroll: true}); }
  };
  top();
  setTimeout(top, 150);
})();
</script>"""


def scroll_to_top(nonce: object) -> None:
    """Back to the top of the page (and the focus on its first h2 heading), once per `nonce`."""
    st.html(_TOP % {"nonce": str(nonce)}, unsafe_allow_javascript=True, width="content")


def round_progress(db, who, chosen) -> dict[str, float]:
    """Region code → answered / asked over every answer sheet of its analysis in the round ("Vet ej" and "Ej
    relevant" count as answered: the person has taken a stand). Empty when the answers may not be read."""
    import store
    from questionnaires.answers import MISSING

    try:
        sheet, _ = store.answer_sheet(db, who, chosen.questionnaire, rounds=[chosen.label])
    except (store.Forbidden, store.NotFound):
        return {}
    if sheet.empty:
        return {}
    q = db.questionnaire(chosen.questionnaire)
    asked = pd.DataFrame({ind.id: sheet["role"].map(lambda role, ind=ind: ind.applies_to(role)) for ind in q.indicators})
    given = sheet[[ind.id for ind in q.indicators]].ne(MISSING) & asked
    per_region = pd.DataFrame({"region": sheet["region"], "asked": asked.sum(axis=1), "given": given.sum(axis=1)})
    totals = per_region.groupby("region")[["asked", "given"]].sum()
    return {code: float(row["given"] / row["asked"]) if row["asked"] else 0.0 for code, row in totals.iterrows()}
