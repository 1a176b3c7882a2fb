"""The editorial workflow: who may change an article's status, and how.

    draft ──submit──▶ in review ──approve──────▶ published (readers see it now)
      ▲                  │     └──approve(at)──▶ scheduled ──(its time)──▶ published
      └─withdraw/reject──┘
    published ──edit──▶ draft (readers keep the approved revision until approval)
    published/scheduled ──unpublish──▶ unpublished ──submit──▶ in review

`policy` answers who may do what now, without acting (`check`, `can`,
`available_actions`); `transitions` acts, asking the policy first. The admin,
views and importer call both through `from articles import workflow`.
"""

from .policy import (
    APPROVE,
    EDIT,
    EDITORS,
    IMPORT,
    MODERATORS,
    REJECT,
    REVIEW,
    SCHEDULE,
    SHARE,
    SUBMIT,
    UNPUBLISH,
    WITHDRAW,
    WorkflowError,
    WorkflowPermissionDenied,
    available_actions,
    can,
    check,
    comment_refusal,
    four_eyes_refusal,
    has_permission,
    is_moderator,
)
from .transitions import (
    approve,
    comment,
    go_live_due,
    reject,
    resolve,
    restore,
    revise,
    submit,
    unpublish,
    withdraw,
)

__all__ = [
    "APPROVE",
    "EDIT",
    "EDITORS",
    "IMPORT",
    "MODERATORS",
    "REJECT",
    "REVIEW",
    "SCHEDULE",
    "SHARE",
    "SUBMIT",
    "UNPUBLISH",
    "WITHDRAW",
    "WorkflowError",
    "WorkflowPermissionDenied",
    "approve",
    "available_actions",
    "can",
    "check",
    "comment",
    "comment_refusal",
    "four_eyes_refusal",
    "go_live_due",
    "has_permission",
    "is_moderator",
    "reject",
    "resolve",
    "restore",
    "revise",
    "submit",
    "unpublish",
    "withdraw",
]
