"""Use cases of the core, one typed function each. Import from here: ``from cases import services``."""

from .diarium import (
    CaseError,
    case_assign_handler,
    case_close,
    case_import,
    case_register,
    diarium_number_allocate,
    document_grant_secret_access,
    document_register,
    document_revoke_secret_access,
    event_record,
)
from .notifications import notify, people_of_body
from .organisation import (
    body_create,
    department_create,
    membership_create,
    organisation_event_record,
    person_create,
    user_create,
)
from .remiss import (
    remiss_answer,
    remiss_check,
    remiss_deadlines_check,
    remiss_route,
    remiss_route_answer,
    remiss_send,
    remiss_withdraw,
)

__all__ = [
    "body_create",
    "department_create",
    "membership_create",
    "organisation_event_record",
    "person_create",
    "user_create",
    "notify",
    "people_of_body",
    "remiss_answer",
    "remiss_check",
    "remiss_deadlines_check",
    "remiss_route",
    "remiss_route_answer",
    "remiss_send",
    "remiss_withdraw",
    "CaseError",
    "case_assign_handler",
    "case_close",
    "case_import",
    "case_register",
    "diarium_number_allocate",
    "document_grant_secret_access",
    "document_register",
    "document_revoke_secret_access",
    "event_record",
]
