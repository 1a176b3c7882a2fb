"""The editorial workflow: `from articles import workflow` is its public interface."""

from .transitions import (
    EDITORS,
    MODERATORS,
    WorkflowError,
    approve,
    can_edit,
    can_moderate,
    can_submit,
    check_editable,
    four_eyes_refusal,
    go_live_due,
    reject,
    restore,
    revise,
    submit,
    unpublish,
    withdraw,
)

__all__ = [
    "EDITORS",
    "MODERATORS",
    "WorkflowError",
    "approve",
    "can_edit",
    "can_moderate",
    "can_submit",
    "check_editable",
    "four_eyes_refusal",
    "go_live_due",
    "reject",
    "restore",
    "revise",
    "submit",
    "unpublish",
    "withdraw",
]
