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

__all__ = [
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
