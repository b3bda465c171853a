from __future__ import annotations

import pytest
from django.db import InternalError, transaction

from cases.models import CaseEvent

from .helpers import register_case


def test_every_registration_writes_an_event_in_the_same_transaction(ale):
    case = register_case(ale, handler=ale.official)
    with ale.scope():
        actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["case.registered", "case.handler_assigned"]


def test_the_timeline_cannot_be_rewritten(ale):
    case = register_case(ale)
    with ale.scope():
        event = CaseEvent.objects.get(case=case)
        event.action = "case.forged"
        with pytest.raises(InternalError, match="append-only"), transaction.atomic():
            event.save()
        with pytest.raises(InternalError, match="append-only"), transaction.atomic():
            CaseEvent.objects.filter(pk=event.pk).delete()
        assert CaseEvent.objects.get(pk=event.pk).action == "case.registered"
