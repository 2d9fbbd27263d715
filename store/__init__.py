"""Persistence and access control: the only package that talks SQL.

Every operation takes `(db, actor, ...)`, checks what the actor may do against the roles stored in the
database at that moment, and runs in one transaction (all of it happens, or none of it). See docs/store.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Each public name and the module that defines it. `store.X` loads that module on first use (PEP 562), so a
# caller that needs only who is acting (store.identity) or the messages (store.messages) — the command line's
# parsers, for one — does not pay for SQLAlchemy, Alembic and pandas (issue 15). Add a name here and in the
# TYPE_CHECKING block below, and in __all__; tests/test_cli_imports.py checks that the three agree.
_MODULES: dict[str, tuple[str, ...]] = {
    "access": ("may_answer", "may_manage", "readable_regions", "regions_to_fill"),
    "answers": ("AnswerRecord", "answer_history", "current_answers", "save_answer"),
    "assessments": (
        "Assessment", "ensure_assessment", "get_assessment", "get_assessment_by_id", "list_assessments",
        "lock_assessment", "regions_with_results", "reopen_assessment", "submit_assessment",
    ),
    "audit": ("AuditEntry", "audit_log"),
    "auth": ("authenticate", "identity_for_email"),
    "backups": ("BackupSummary", "backup", "backup_bytes", "restore"),
    "carry": ("Carried", "Reason", "SheetFollowup", "carry_forward", "change_reasons", "sheet_followup"),
    "comparison": ("ComparisonBasis", "comparison_basis"),
    "database": ("Database",),
    "demo": ("DemoResult", "is_demo", "load_demo"),
    "errors": (
        "AuthFailed", "Conflict", "Forbidden", "Invalid", "NotEditable", "NotEmpty", "NotFound", "Problem",
        "RoundClosed", "StoreError", "StoreUnavailable",
    ),
    "frames": ("answer_sheet",),
    "identity": ("NATIONAL_ROLES", "REGIONAL_ROLES", "Identity", "system_identity"),
    "imports": ("ImportResult", "import_answers"),
    "invitations": ("Invitation", "LinkView", "list_invitations", "my_invitations"),
    "messages": ("ASSESSMENT_STATUSES", "ROLES"),
    "passwords": ("Opened", "change_password", "issue_reset", "request_reset", "reset_address", "set_first_password"),
    "plan_review": ("LastPlan", "ReviewEntry", "last_plan", "review_gate", "save_reviews", "start_new_plan"),
    "plans": ("plan_items", "plan_version", "save_plan"),
    "receipts": ("Receipt", "mark_done", "receipt"),
    "registry": ("register_questionnaire",),
    "respondents": (
        "Respondent", "add_respondent", "get_respondent", "list_respondents", "remove_respondent",
        "restore_respondent",
    ),
    "rounds": ("Round", "close_round", "get_round", "list_rounds", "open_round", "publish_round"),
    "sessions": (
        "Check", "Session", "end_session", "end_sessions", "list_sessions", "session_identity", "start_session",
    ),
    "users": (
        "User", "create_user", "disable_user", "enable_user", "get_user", "list_users", "remove_membership",
        "set_membership", "set_national_role", "set_password",
    ),
    "version": ("data_version",),
}
_LOCATIONS: dict[str, str] = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    # sessions, invitations, passwords, receipts (issue 13); the invitation and reset links' own operations are
    # store.invitations.invite/reissue/revoke/mark_sent/preview/accept and store.passwords.use_reset,
    # the cookie's are store.sessions.claim_cookie/resume/end_cookie_session
    "Check", "Invitation", "LinkView", "Opened", "Receipt", "Session",
    "change_password", "end_session", "end_sessions", "issue_reset", "list_invitations", "list_sessions", "mark_done",
    "my_invitations", "receipt", "request_reset", "reset_address", "session_identity", "set_first_password",
    "start_session",
    # the follow-up round (issue 17); deciding on a proposal is store.carry.confirm/change/dismiss
    "Carried", "LastPlan", "Reason", "ReviewEntry", "SheetFollowup", "carry_forward", "change_reasons", "last_plan",
    "review_gate", "save_reviews", "sheet_followup", "start_new_plan",
    "ASSESSMENT_STATUSES", "NATIONAL_ROLES", "REGIONAL_ROLES", "ROLES",
    "AnswerRecord", "Assessment", "ComparisonBasis", "AuditEntry", "AuthFailed", "BackupSummary", "Conflict", "Database", "DemoResult",
    "Forbidden", "Identity", "ImportResult", "Invalid", "NotEditable", "NotEmpty", "NotFound", "Problem", "Respondent",
    "Round", "RoundClosed", "StoreError", "StoreUnavailable", "User",
    "add_respondent", "answer_history", "answer_sheet", "audit_log", "authenticate", "backup", "backup_bytes", "comparison_basis", "close_round",
    "create_user", "current_answers", "data_version", "disable_user", "enable_user", "ensure_assessment", "get_assessment",
    "get_assessment_by_id", "get_respondent", "get_round", "get_user", "identity_for_email", "import_answers", "is_demo",
    "list_assessments", "may_answer", "may_manage", "readable_regions", "regions_to_fill", "regions_with_results", "list_respondents", "list_rounds", "list_users", "load_demo", "lock_assessment", "open_round",
    "plan_items", "plan_version", "publish_round", "register_questionnaire", "remove_membership", "remove_respondent",
    "reopen_assessment", "restore", "restore_respondent", "save_answer", "save_plan", "set_membership",
    "set_national_role", "set_password", "submit_assessment", "system_identity",
]

if TYPE_CHECKING:  # what a type checker and an editor see; at run time __getattr__ below does the same, lazily
    from store.access import may_answer, may_manage, readable_regions, regions_to_fill
    from store.answers import AnswerRecord, answer_history, current_answers, save_answer
    from store.assessments import (
        Assessment,
        ensure_assessment,
        get_assessment,
        get_assessment_by_id,
        list_assessments,
        lock_assessment,
        regions_with_results,
        reopen_assessment,
        submit_assessment,
    )
    from store.audit import AuditEntry, audit_log
    from store.auth import authenticate, identity_for_email
    from store.backups import BackupSummary, backup, backup_bytes, restore
    from store.carry import Carried, Reason, SheetFollowup, carry_forward, change_reasons, sheet_followup
    from store.comparison import ComparisonBasis, comparison_basis
    from store.database import Database
    from store.demo import DemoResult, is_demo, load_demo
    from store.errors import (
        AuthFailed,
        Conflict,
        Forbidden,
        Invalid,
        NotEditable,
        NotEmpty,
        NotFound,
        Problem,
        RoundClosed,
        StoreError,
        StoreUnavailable,
    )
    from store.frames import answer_sheet
    from store.identity import NATIONAL_ROLES, REGIONAL_ROLES, Identity, system_identity
    from store.imports import ImportResult, import_answers
    from store.invitations import Invitation, LinkView, list_invitations, my_invitations
    from store.messages import ASSESSMENT_STATUSES, ROLES
    from store.passwords import (
        Opened,
        change_password,
        issue_reset,
        request_reset,
        reset_address,
        set_first_password,
    )
    from store.plan_review import LastPlan, ReviewEntry, last_plan, review_gate, save_reviews, start_new_plan
    from store.plans import plan_items, plan_version, save_plan
    from store.receipts import Receipt, mark_done, receipt
    from store.registry import register_questionnaire
    from store.respondents import (
        Respondent,
        add_respondent,
        get_respondent,
        list_respondents,
        remove_respondent,
        restore_respondent,
    )
    from store.rounds import Round, close_round, get_round, list_rounds, open_round, publish_round
    from store.sessions import (
        Check,
        Session,
        end_session,
        end_sessions,
        list_sessions,
        session_identity,
        start_session,
    )
    from store.users import (
        User,
        create_user,
        disable_user,
        enable_user,
        get_user,
        list_users,
        remove_membership,
        set_membership,
        set_national_role,
        set_password,
    )
    from store.version import data_version


def __getattr__(name: str):
    module = _LOCATIONS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f"store.{module}"), name)
        globals()[name] = value  # from now on a plain attribute: __getattr__ is not asked again
        return value
    if not name.startswith("_"):
        # `import store` used to load every submodule, so `store.rounds.list_rounds` worked without importing
        # store.rounds; a submodule's name still loads it.
        try:
            return importlib.import_module(f"store.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"store.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
