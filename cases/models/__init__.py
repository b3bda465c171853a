from .diarium import Case, CaseEvent, CaseQuerySet, CaseStatus, DiariumCounter, Direction, Document
from .grants import (
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    DocumentGroupObjectPermission,
    DocumentUserObjectPermission,
)
from .organisation import (
    Body,
    BodyKind,
    Department,
    MandatePeriod,
    Membership,
    OrganisationEvent,
    Person,
    Role,
    SeatRole,
    User,
)
from .outbox import OutboxMessage
from .remiss import Remiss, RemissStatus
from .tenancy import Municipality, TenantModel, each_municipality, run_in_tenant
from .work import Notification, PdfStatus, RenderedPdf, RoutingStep

__all__ = [
    "Body",
    "BodyKind",
    "Case",
    "CaseEvent",
    "CaseGroupObjectPermission",
    "CaseQuerySet",
    "CaseStatus",
    "CaseUserObjectPermission",
    "Department",
    "DiariumCounter",
    "Direction",
    "Document",
    "DocumentGroupObjectPermission",
    "DocumentUserObjectPermission",
    "MandatePeriod",
    "Membership",
    "Municipality",
    "Notification",
    "OrganisationEvent",
    "OutboxMessage",
    "PdfStatus",
    "RenderedPdf",
    "RoutingStep",
    "Person",
    "Remiss",
    "RemissStatus",
    "Role",
    "SeatRole",
    "TenantModel",
    "User",
    "each_municipality",
    "run_in_tenant",
]
