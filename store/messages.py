"""Every message the store can show a person, in Swedish and English, by code.

Places are named in the words people use: the region by name and code, the round by its label, the
indicator by its id. Operations have labels of their own so that a refusal says what was refused.
"""

from __future__ import annotations

from questionnaires import freetext
from questionnaires.regions import region_by_code
from questionnaires.text import Catalogue, Text

ASSESSMENT_STATUSES: dict[str, Text] = {
    "draft": Text("utkast", "draft"),
    "submitted": Text("inlämnad", "submitted"),
    "reopened": Text("återöppnad", "reopened"),
    "locked": Text("låst", "locked"),
}

ROLES: dict[str, Text] = {
    "admin": Text("nationell administratör", "national administrator"),
    "analyst": Text("nationell analytiker", "national analyst"),
    "lead": Text("regional ledare", "regional lead"),
    "respondent": Text("respondent", "respondent"),
    "viewer": Text("läsare", "viewer"),
}

# What a refusal names: "du har inte behörighet att <operation> …".
OPERATIONS: dict[str, Text] = {
    "manage_rounds": Text("hantera mätomgångar", "manage rounds"),
    "manage_users": Text("hantera konton", "manage accounts"),
    "grant_role": Text("ge rollen", "grant the role"),
    "list_users": Text("se konton", "see accounts"),
    "see_assessment": Text("se bedömningen", "see the assessment"),
    "agreement": Text("se samstämmigheten mellan bedömare", "see the agreement between raters"),
    "named_report": Text("se regionerna med namn i en omgång som inte är publicerad",
                         "see the regions by name in a round that is not published"),
    "include_drafts": Text("räkna med utkast i jämförelser", "count drafts in comparisons"),
    "edit_assessment": Text("ändra bedömningen", "change the assessment"),
    "lock_assessment": Text("låsa bedömningen", "lock the assessment"),
    "unlock_assessment": Text("öppna en låst bedömning", "reopen a locked assessment"),
    "see_respondents": Text("se respondenterna", "see the respondents"),
    "manage_respondents": Text("hantera respondenter", "manage respondents"),
    "see_answers": Text("se svaren", "see the answers"),
    "answer": Text("svara", "answer"),
    "see_plan": Text("se handlingsplanen", "see the action plan"),
    "edit_plan": Text("ändra handlingsplanen", "change the action plan"),
    "see_audit": Text("se ändringsloggen", "see the audit log"),
    "import": Text("importera svar", "import answers"),
    "register_questionnaire": Text("registrera frågeformulär", "register questionnaires"),
    "backup": Text("skapa en säkerhetskopia", "make a backup"),
}

MESSAGES = Catalogue({
    # The input rule for free text (questionnaires/freetext.py): control characters, broken characters, length
    **freetext.TEMPLATES,
    # The database itself
    "bad_url": {"sv": "databasadressen är ogiltig: {url} ({reason})", "en": "the database URL is invalid: {url} ({reason})"},
    "unsupported_url": {"sv": "databastypen '{scheme}' stöds inte (använd sqlite:///FIL eller postgresql+psycopg://…)",
                        "en": "the database type '{scheme}' is not supported (use sqlite:///FILE or postgresql+psycopg://…)"},
    "driver_missing": {"sv": "drivrutinen för {scheme} saknas (installera mognad[postgres])",
                       "en": "the driver for {scheme} is missing (install mognad[postgres])"},
    "unreachable": {"sv": "databasen {url} kan inte nås: {reason}", "en": "the database {url} cannot be reached: {reason}"},
    "data_dir": {"sv": "datakatalogen {path} kan inte skapas: {reason}", "en": "the data directory {path} cannot be created: {reason}"},
    "not_initialised": {"sv": "databasen {url} är inte förberedd; kör 'mognad db upgrade'",
                        "en": "the database {url} is not set up; run 'mognad db upgrade'"},
    "needs_upgrade": {"sv": "databasen har schemaversion {found} men mognad behöver {expected}; kör 'mognad db upgrade'",
                      "en": "the database has schema version {found} but mognad needs {expected}; run 'mognad db upgrade'"},
    "newer_schema": {"sv": "databasen har schemaversion {found}, nyare än denna version av mognad; uppgradera mognad",
                     "en": "the database has schema version {found}, newer than this version of mognad; upgrade mognad"},
    "busy": {"sv": "databasen är upptagen just nu; försök igen om en stund", "en": "the database is busy right now; try again shortly"},
    "lost": {"sv": "kontakten med databasen bröts ({reason}); försök igen", "en": "the connection to the database was lost ({reason}); try again"},
    # Who may do what
    "forbidden": {"sv": "du har inte behörighet att {op}{where}", "en": "you are not allowed to {op}{where}"},
    "unknown_account": {"sv": "kontot är okänt; logga in igen", "en": "the account is unknown; log in again"},
    "account_disabled": {"sv": "kontot är avstängt", "en": "the account is disabled"},
    # Logging in
    "auth_invalid": {"sv": "fel e-postadress eller lösenord", "en": "wrong e-mail address or password"},
    "auth_locked": {"sv": "kontot är låst till {until} efter för många misslyckade inloggningar",
                    "en": "the account is locked until {until} after too many failed logins"},
    "auth_disabled": {"sv": "kontot är avstängt; kontakta den nationella administratören",
                      "en": "the account is disabled; contact the national administrator"},
    # Things that are not there
    "no_round": {"sv": "mätomgången '{round}' finns inte", "en": "the round '{round}' does not exist"},
    "no_region": {"sv": "regionkoden '{region}' finns inte (tvåsiffrig länskod, t.ex. 01 eller 19)",
                  "en": "the region code '{region}' does not exist (two-digit county code, e.g. 01 or 19)"},
    "no_assessment": {"sv": "{region} har ingen bedömning i omgången {round}", "en": "{region} has no assessment in the round {round}"},
    "no_assessment_id": {"sv": "bedömning {id} finns inte", "en": "assessment {id} does not exist"},
    "no_respondent": {"sv": "respondent {id} finns inte", "en": "respondent {id} does not exist"},
    "no_user": {"sv": "det finns inget konto med e-postadressen {email}", "en": "there is no account with the e-mail address {email}"},
    "no_membership": {"sv": "{email} har ingen roll i {region}", "en": "{email} has no role in {region}"},
    "no_questionnaire": {"sv": "frågeformuläret '{ref}' är okänt (varken medföljande eller registrerat)",
                         "en": "the questionnaire '{ref}' is unknown (neither bundled nor registered)"},
    "no_file": {"sv": "{path}: filen kan inte läsas ({reason})", "en": "{path}: the file cannot be read ({reason})"},
    # States that forbid a change
    "round_closed": {"sv": "mätomgången {round} är stängd och kan inte längre ändras",
                     "en": "the round {round} is closed and can no longer be changed"},
    "round_already_closed": {"sv": "mätomgången {round} är redan stängd", "en": "the round {round} is already closed"},
    "assessment_not_editable": {"sv": "bedömningen för {region} ({round}) är {status}; den måste öppnas igen innan den kan ändras",
                                "en": "the assessment for {region} ({round}) is {status}; it must be reopened before it can be changed"},
    "bad_transition": {"sv": "bedömningen för {region} ({round}) är {status} och kan inte {op}",
                       "en": "the assessment for {region} ({round}) is {status} and cannot be {op}"},
    "respondent_removed": {"sv": "respondenten {name} är borttagen och kan inte längre svara",
                           "en": "the respondent {name} has been removed and can no longer answer"},
    "not_empty": {"sv": "databasen innehåller redan data; använd --force för att ersätta allt",
                  "en": "the database already holds data; use --force to replace all of it"},
    # Concurrent changes
    "answer_conflict": {
        "sv": "svaret på {indicator} har ändrats av {who} ({when}) sedan du läste det: sparat {stored_value} (version {stored_revision}), "
              "ditt {attempted_value} (utgick från version {attempted_revision}); välj vilket som ska gälla och spara igen",
        "en": "the answer to {indicator} was changed by {who} ({when}) since you read it: saved {stored_value} (version {stored_revision}), "
              "yours {attempted_value} (based on version {attempted_revision}); choose which one should stand and save again"},
    "plan_conflict": {
        "sv": "handlingsplanen har ändrats av {who} ({when}) sedan du läste den (version {stored_revision}, din utgick från "
              "version {attempted_revision}); ladda om och gör ändringen igen",
        "en": "the action plan was changed by {who} ({when}) since you read it (version {stored_revision}, yours was based on "
              "version {attempted_revision}); reload and make the change again"},
    "invalid": {"sv": "{first}", "en": "{first}"},
    "invalid_more": {"sv": "{first} (och {more} fel till)", "en": "{first} (and {more} more problems)"},
    # Problems with input (each names its place)
    "bad_email": {"sv": "ogiltig e-postadress '{value}' (skriv den som namn@exempel.se, med bokstäverna a–z, siffror och . _ % + -)",
                  "en": "invalid e-mail address '{value}' (write it as name@example.se, with the letters a–z, digits and . _ % + -)"},
    "email_taken": {"sv": "det finns redan ett konto med e-postadressen {value}", "en": "there is already an account with the e-mail address {value}"},
    "bad_name": {"sv": "namnet måste fyllas i (högst {limit} tecken)", "en": "the name is required (at most {limit} characters)"},
    "bad_text": {"sv": "{field} får vara högst {limit} tecken och utan radbrytningar",
                 "en": "{field} may have at most {limit} characters and no line breaks"},
    "password_short": {"sv": "lösenordet är för kort (minst {limit} tecken)", "en": "the password is too short (at least {limit} characters)"},
    "password_long": {"sv": "lösenordet är för långt (högst {limit} tecken)", "en": "the password is too long (at most {limit} characters)"},
    "bad_national_role": {"sv": "okänd nationell roll '{value}' (tillåtna: admin, analyst)",
                          "en": "unknown national role '{value}' (allowed: admin, analyst)"},
    "bad_region_role": {"sv": "okänd regional roll '{value}' (tillåtna: lead, respondent, viewer)",
                        "en": "unknown regional role '{value}' (allowed: lead, respondent, viewer)"},
    "bad_label": {"sv": "omgångens namn ska vara 1–{limit} tecken utan radbrytningar (är '{value}')",
                  "en": "the round's label must be 1–{limit} characters without line breaks (is '{value}')"},
    "round_exists": {"sv": "mätomgången '{value}' finns redan", "en": "the round '{value}' already exists"},
    "round_not_closed": {"sv": "mätomgången {round} måste stängas innan den publiceras",
                         "en": "the round {round} must be closed before it is published"},
    "bad_questionnaire": {"sv": "frågeformuläret kan inte läsas: {reason}", "en": "the questionnaire cannot be read: {reason}"},
    "bad_role": {"sv": "okänd respondentroll '{value}' (tillåtna: {allowed})", "en": "unknown respondent role '{value}' (allowed: {allowed})"},
    "unknown_indicator": {"sv": "okänd indikator '{value}'", "en": "unknown indicator '{value}'"},
    "not_for_role": {"sv": "indikatorn {indicator} ställs inte till rollen '{role}'", "en": "the indicator {indicator} is not asked of the role '{role}'"},
    "na_not_allowed": {"sv": "indikatorn {indicator} kan inte besvaras med ”Ej relevant” (den gäller alla regioner)",
                       "en": "the indicator {indicator} cannot be answered “Not relevant” (it applies to every region)"},
    "bad_value": {"sv": "ogiltigt svar {value} (tillåtet: ett heltal 0–{top}, \"na\", \"dk\" eller tomt)",
                  "en": "invalid answer {value} (allowed: a whole number 0–{top}, \"na\", \"dk\" or empty)"},
    "comment_too_long": {"sv": "kommentaren är för lång ({length} tecken, högst {limit})",
                         "en": "the comment is too long ({length} characters, at most {limit})"},
    "comment_not_text": {"sv": "kommentaren ska vara text", "en": "the comment must be text"},
    "bad_confidence": {"sv": "säkerheten ska vara low, medium eller high (är {value})",
                       "en": "the confidence must be low, medium or high (is {value})"},
    "bad_revision": {"sv": "versionsnumret ska vara ett heltal ≥ 0 (är {value})", "en": "the revision must be a whole number ≥ 0 (is {value})"},
    "nothing_answered": {"sv": "det finns inga svar att lämna in för {region} ({round})",
                         "en": "there are no answers to submit for {region} ({round})"},
    "unknown_plan_item": {"sv": "åtgärden {value} finns inte i denna handlingsplan", "en": "the action {value} is not in this action plan"},
    "duplicate_plan_item": {"sv": "åtgärden {value} förekommer mer än en gång", "en": "the action {value} occurs more than once"},
    "deleted_and_saved": {"sv": "åtgärden {value} kan inte både sparas och tas bort", "en": "the action {value} cannot be both saved and deleted"},
    "unknown_round": {"sv": "mätomgången '{value}' finns inte", "en": "the round '{value}' does not exist"},
    "unknown_questionnaire": {"sv": "frågeformuläret '{value}' är okänt (varken medföljande eller registrerat)",
                              "en": "the questionnaire '{value}' is unknown (neither bundled nor registered)"},
    "unknown_region": {"sv": "regionkoden '{value}' finns inte", "en": "the region code '{value}' does not exist"},
    "round_questionnaire": {"sv": "mätomgången {round} använder {expected}, men svaren gäller {value}",
                            "en": "the round {round} uses {expected}, but the answers are for {value}"},
    "role_mismatch": {"sv": "respondenten har rollen '{stored}' men filen anger '{value}'",
                      "en": "the respondent has the role '{stored}' but the file says '{value}'"},
    "respondent_gone": {"sv": "respondenten är borttagen", "en": "the respondent has been removed"},
    "duplicate_respondent_key": {"sv": "respondent-id '{value}' finns redan i bedömningen",
                                 "en": "the respondent id '{value}' already exists in the assessment"},
    "bad_key": {"sv": "respondent-id '{value}' ska vara 1–{limit} tecken utan radbrytningar",
                "en": "the respondent id '{value}' must be 1–{limit} characters without line breaks"},
    # Backups
    "not_backup": {"sv": "filen är ingen säkerhetskopia från mognad ({reason})", "en": "the file is not a mognad backup ({reason})"},
    "unknown_schema": {"sv": "säkerhetskopian har schemaversion {value} som denna version av mognad inte känner till",
                       "en": "the backup has schema version {value}, which this version of mognad does not know"},
    "backup_table": {"sv": "tabellen '{table}' i säkerhetskopian: {reason}", "en": "the table '{table}' in the backup: {reason}"},
    "backup_row": {"sv": "tabellen '{table}', rad {row}: {reason}", "en": "the table '{table}', row {row}: {reason}"},
})

FIELD_NAMES: dict[str, Text] = {
    "name": Text("namnet", "the name"),
    "organisation": Text("organisationen", "the organisation"),
    "comment": Text("kommentaren", "the comment"),
    "email": Text("e-postadressen", "the e-mail address"),
    "label": Text("omgångens namn", "the round's label"),
    "key": Text("respondent-id", "the respondent id"),
    "source_action": Text("hänvisningen till åtgärdsbiblioteket", "the reference to the action library"),
    "extra_key": Text("ett extra fälts namn", "the name of an extra field"),
}


def extra_field(name: str) -> Text:
    """An extra field of an action-plan row (a column another tool added), by its name."""
    shown = freetext.shown(name, 40)
    return Text(f"fältet '{shown}'", f"the field '{shown}'")


def region_label(code: str | None) -> str:
    """'Region Västmanland (19)'; the bare code for a code outside the roster."""
    if code is None:
        return ""
    region = region_by_code().get(code)
    return f"{region.name} ({code})" if region else code


def render(code: str, lang: str, **params: object) -> str:
    return MESSAGES.render(code, lang, **params)


# -- sessions, invitations, passwords, "Jag är klar" (issue 13) ------------------------------------------------
OPERATIONS.update({
    "answer_done": Text("markera formuläret som klart", "mark the sheet as done"),
})

MESSAGES = Catalogue({
    **MESSAGES._messages,  # the catalogue above, and these after it
    "auth_wrong_current": {"sv": "det nuvarande lösenordet stämmer inte", "en": "the current password is wrong"},
    "has_password": {"sv": "kontot har redan ett lösenord; byt det under Mitt konto",
                     "en": "the account already has a password; change it under My account"},
    "link_invalid": {"sv": "länken gäller inte längre: den har använts, gått ut eller återkallats",
                     "en": "the link is no longer valid: it has been used, has expired or was withdrawn"},
    "invitation_has_account": {"sv": "det finns redan ett konto för adressen; logga in med det",
                               "en": "there is already an account for the address; sign in with it"},
    "already_invited": {"sv": "{value} har redan ett formulär i den här analysen",
                        "en": "{value} already has a sheet in this analysis"},
    "rate_limited": {"sv": "för många försök på kort tid; vänta en stund och försök igen",
                     "en": "too many attempts in a short time; wait a while and try again"},
    "sheet_incomplete": {"sv": "{answered} av {asked} frågor har svar; bekräfta att du ändå är klar",
                         "en": "{answered} of {asked} questions have an answer; confirm that you are done anyway"},
})


# -- workshops and consensus values (issue 12) ---------------------------------------------------------------------
OPERATIONS.update({
    "run_workshop": Text("leda workshopen", "run the workshop"),
    "see_workshop": Text("se workshopen", "see the workshop"),
})
FIELD_NAMES.update({
    "workshop_title": Text("workshopens namn", "the workshop's name"),
    "participant_name": Text("namnet", "the name"),
    "rationale": Text("motiveringen", "the rationale"),
    "evidence": Text("beläggen", "the evidence"),
    "dissent": Text("den avvikande meningen", "the dissenting view"),
    "outside_reason": Text("skälet", "the reason"),
})
WORKSHOP_STATUSES: dict[str, Text] = {
    "planned": Text("planerad", "planned"),
    "open": Text("öppen", "open"),
    "closed": Text("avslutad", "closed"),
}

MESSAGES = Catalogue({
    **MESSAGES._messages,
    "no_workshop": {"sv": "workshopen {id} finns inte", "en": "the workshop {id} does not exist"},
    "workshop_state": {"sv": "workshopen är {status} och kan inte {change}",
                       "en": "the workshop is {status} and cannot {change}"},
    "required": {"sv": "fyll i {field}", "en": "fill in {field}"},
    "workshop_no_indicators": {"sv": "välj minst en indikator", "en": "choose at least one indicator"},
    "workshop_no_groups": {"sv": "välj minst en intressentgrupp", "en": "choose at least one stakeholder group"},
    "workshop_unknown_group": {"sv": "intressentgruppen '{value}' finns inte i frågeformuläret",
                               "en": "the stakeholder group '{value}' is not in the questionnaire"},
    "workshop_bad_code": {"sv": "koden hör inte till någon öppen workshop; kontrollera den och försök igen",
                          "en": "the code does not belong to an open workshop; check it and try again"},
    "workshop_pick_group": {"sv": "välj den intressentgrupp du representerar",
                            "en": "choose the stakeholder group you represent"},
    "workshop_seat_ended": {"sv": "din plats i workshopen gäller inte längre; anslut igen med koden",
                            "en": "your place in the workshop is no longer valid; join again with the code"},
    "workshop_not_voting": {"sv": "röstningen om {indicator} är inte öppen just nu",
                            "en": "voting on {indicator} is not open right now"},
    "workshop_not_revealed": {"sv": "rösterna om {indicator} visas först när samtalsledaren visar resultatet",
                              "en": "the votes on {indicator} are shown only once the facilitator shows the result"},
    "workshop_not_in_list": {"sv": "{indicator} ingår inte i workshopen", "en": "{indicator} is not part of the workshop"},
    "workshop_no_second_vote": {"sv": "workshopen har ingen andra röstning, eller den har redan gjorts",
                                "en": "the workshop has no second vote, or it has already been held"},
    "consensus_rationale": {"sv": "skriv en motivering till det gemensamma värdet",
                            "en": "write a rationale for the agreed value"},
    "consensus_outside": {"sv": "värdet {value} ligger utanför rösternas spann {low}–{high}; skriv varför",
                          "en": "the value {value} lies outside the votes' range {low}–{high}; say why"},
    "consensus_bad_value": {"sv": "det gemensamma värdet måste vara en nivå 0–{top} eller Ej relevant",
                            "en": "the agreed value must be a level 0–{top} or Not relevant"},
})
