"""Justeras omedelbart: a § the meeting decides to justera at once gets its own extract, signed at
the meeting by the chair and the justerare for that § alone. When the last has signed, the extract
is justerat, its anslag goes up the same day and the § is expedited; the rest of the protocol follows
the usual way (closed, justerat, anslag). From the moment the extract is sent for signing, the § is
frozen like a protocol under justering."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import clock
from cases.models import User
from cases.services import CaseError
from cases.services.notifications import notify

from .anslag import _record_day, anslag_dates
from .integrity import protocol_content
from .models import (
    AgendaItem,
    ExtractSignature,
    ExtractStatus,
    ImmediateExtract,
    Meeting,
    MeetingStatus,
)
from .numbering import paragraphs_assign
from .services import ensure_held, ensure_may_manage, ensure_writable, log


def extract_content(item: AgendaItem) -> dict[str, Any]:
    """The § as the extract shows it, with the meeting it was decided at and who justerar it."""
    content = protocol_content(item.meeting)
    index = list(item.meeting.items.order_by("ordering").values_list("pk", flat=True)).index(item.pk)
    return {
        "meeting": {k: content[k] for k in ("body", "starts_at", "place", "chair", "secretary")},
        "justerare": [a["name"] for a in content["attendance"] if a["justerare"]],
        "item": content["items"][index],
    }


def extract_digest(item: AgendaItem) -> str:
    canonical = json.dumps(extract_content(item), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def ensure_item_open(item: AgendaItem, *, by: User, what: str) -> None:
    """A § sent to omedelbar justering is frozen; the refusal is logged like any other."""
    if ImmediateExtract.objects.filter(item=item).exists():
        with transaction.atomic(durable=not connection.in_atomic_block):
            log(item.meeting, "write.refused", by=by, what=what, status="omedelbart", item=str(item.uuid))
        raise CaseError(_("Paragrafen justeras omedelbart och kan inte ändras."))


def extract_send(item: AgendaItem, *, by: User) -> ImmediateExtract:
    """The secretary sends a § marked 'justeras omedelbart' to the chair and the justerare at the meeting."""
    meeting = item.meeting
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="extract.send")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body", "chair").get(pk=meeting.pk)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        item.meeting = meeting
        if meeting.status not in (MeetingStatus.CALLED, MeetingStatus.HELD, MeetingStatus.PLANNED):
            raise CaseError(_("Paragrafen kan bara justeras omedelbart medan protokollet skrivs."))
        ensure_held(meeting)
        if not item.immediately_justerad:
            raise CaseError(_("Sammanträdet har inte beslutat att paragrafen ska justeras omedelbart."))
        if not item.decision.strip():
            raise CaseError(_("Skriv beslutet innan paragrafen justeras."))
        if ImmediateExtract.objects.filter(item=item).exists():
            raise CaseError(_("Paragrafen är redan skickad för omedelbar justering."))
        justerare = [
            a.person for a in meeting.attendance.filter(is_justerare=True).select_related("person") if a.person
        ]
        if meeting.chair is None or not justerare:
            raise CaseError(_("Ange ordförande och justerare innan paragrafen justeras."))
        if item.paragraph is None:
            paragraphs_assign(meeting, by=by)
            item.refresh_from_db(fields=["paragraph"])
        extract = ImmediateExtract.objects.create(municipality_id=meeting.municipality_id, item=item)
        signers = [(meeting.chair, "ordförande")] + [(p, "justerare") for p in justerare if p != meeting.chair]
        for person, role in signers:
            ExtractSignature.objects.create(
                municipality_id=meeting.municipality_id, extract=extract, person=person, role=role
            )
        log(meeting, "extract.sent", by=by, item=str(item.uuid), paragraph=item.paragraph, title=item.title)
        notify(
            [p.user for p, _role in signers if p.user is not None],
            key=f"extract:{extract.pk}:justering",
            subject=_("Paragraf att justera omedelbart: %(title)s") % {"title": item.title},
            body=_("Sammanträdet har beslutat att paragrafen justeras omedelbart. Läs och godkänn utdraget."),
            url=reverse("meetings:extract", args=[meeting.uuid, item.uuid]),
            municipality_id=meeting.municipality_id,
        )
    return extract


def can_sign_extract(user: User, extract: ImmediateExtract) -> bool:
    return (
        extract.status == ExtractStatus.JUSTERING
        and ExtractSignature.objects.filter(extract=extract, person__user=user, signed_at=None).exists()
    )


def extract_sign(extract: ImmediateExtract, *, by: User) -> ImmediateExtract:
    """A signer approves the extract's text; the last signature justerar it, puts its anslag up the
    same day and starts its expediering."""
    from cases.outbox import outbox_enqueue

    from .tasks import expedite_item

    with transaction.atomic():
        extract = (
            ImmediateExtract.objects.select_for_update(of=("self",))
            .select_related("item__meeting__body")
            .get(pk=extract.pk)
        )
        item = extract.item
        meeting = item.meeting
        if extract.status != ExtractStatus.JUSTERING:
            raise CaseError(_("Utdraget är redan justerat."))
        ensure_held(meeting)
        signature = ExtractSignature.objects.filter(extract=extract, person__user=by, signed_at=None).first()
        if signature is None:
            raise CaseError(_("Du ska inte justera den här paragrafen, eller har redan gjort det."))
        signature.user = by
        signature.signed_at = clock.now()
        signature.digest = extract_digest(item)
        signature.save(update_fields=["user", "signed_at", "digest"])
        log(meeting, "extract.signed", by=by, item=str(item.uuid), paragraph=item.paragraph, role=signature.role)
        if ExtractSignature.objects.filter(extract=extract, signed_at=None).exists():
            return extract
        digests = set(ExtractSignature.objects.filter(extract=extract).values_list("digest", flat=True))
        if digests != {signature.digest}:
            raise CaseError(_("Underskrifterna gäller inte samma text. Utdraget kan inte bli justerat."))
        today = clock.today()
        extract.status = ExtractStatus.JUSTERAT
        extract.justerat_at = clock.now()
        extract.digest = signature.digest
        extract.anslag_on = today
        extract.appeal_ends_on, extract.anslag_removed_on = anslag_dates(today)
        extract.save(
            update_fields=["status", "justerat_at", "digest", "anslag_on", "appeal_ends_on", "anslag_removed_on"]
        )
        log(
            meeting,
            "extract.justerat",
            by=by,
            item=str(item.uuid),
            paragraph=item.paragraph,
            title=item.title,
            on=today.isoformat(),
            appeal_ends=extract.appeal_ends_on.isoformat(),
        )
        _record_day(meeting, item.pk, today)
        outbox_enqueue(expedite_item, item.pk, municipality_id=meeting.municipality_id)
    return extract


def extract_for(item: AgendaItem) -> ImmediateExtract | None:
    return ImmediateExtract.objects.filter(item=item).first()


def local_day(meeting: Meeting) -> str:
    return timezone.localtime(meeting.starts_at).date().isoformat()
