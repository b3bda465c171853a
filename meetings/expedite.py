"""Expediering after justering: each § goes to those named in it, by e-mail with the extract, and
internally into the receiving case (a nämnd's decided yttrande goes home as the remiss answer, and so
does an utskott's when it answers remisser on the nämnd's behalf by delegation;
fullmäktige's decision on a motion closes the motion)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Direction, Document, Remiss, RemissStatus, Role, User
from cases.outbox import outbox_enqueue
from cases.pdf import html_to_pdf
from cases.services.remiss import routing_step_claim
from motions.models import Motion
from motions.services import motion_decide
from papers.models import Draft, DraftStatus
from papers.services import proposal_record

from .models import AgendaItem, ExtractStatus, ImmediateExtract, Meeting, MeetingStatus
from .pdf import extract_html


def item_expedite(item_id: int) -> bool:
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting", "meeting__body", "meeting__secretary", "case").get(
            pk=item_id
        )
        meeting = item.meeting
        justerat = (
            meeting.status == MeetingStatus.JUSTERAT
            or ImmediateExtract.objects.filter(item=item, status=ExtractStatus.JUSTERAT).exists()
        )
        if not justerat or item.case is None:
            return False
        if not routing_step_claim(f"meeting-item:{item.pk}:expedite"):
            return False
        pdf = html_to_pdf(extract_html(meeting.body.municipality, str(item.uuid)))
        day = timezone.localtime(meeting.starts_at).date()
        recipients = ", ".join(item.dispatch) or meeting.body.name
        remiss = _remiss_answered_by(item)
        description = _("Protokollsutdrag %(body)s %(date)s § %(p)s: %(title)s") % {
            "body": meeting.body.name,
            "date": day.isoformat(),
            "p": item.paragraph,
            "title": item.title,
        }
        if remiss is not None and remiss.to_body_id != meeting.body_id:
            delegation = _("beslutat på delegation från %(body)s") % {"body": remiss.to_body.name}
            limit = Document._meta.get_field("description").max_length or 500
            description = f"{description[: limit - len(delegation) - 2]}, {delegation}"
        document = case_services.document_register(
            item.case,
            direction=Direction.OUTGOING,
            document_date=timezone.localdate(),
            counterpart=recipients[:255],
            description=description,
            by=meeting.secretary,
            allow_closed=True,
        )
        name = _extract_name(item)
        document.file.save(name, ContentFile(pdf), save=False)
        document.file_name, document.content_type = name, "application/pdf"
        document.file_size, document.checksum = len(pdf), hashlib.sha256(pdf).hexdigest()
        document.save(update_fields=["file", "file_name", "content_type", "file_size", "checksum"])

        satser = [line.strip() for line in item.decision.splitlines() if line.strip()]
        if satser:
            proposal_record(
                item.case,
                satser=satser,
                label=_("%(body)s %(date)s § %(p)s")
                % {"body": meeting.body.name, "date": day.isoformat(), "p": item.paragraph},
                body=meeting.body,
                by=meeting.secretary,
            )
        if remiss is not None:
            case_services.remiss_answer(remiss, document=document, attachments=_yttrande_of(item), by=meeting.secretary)
        motion = Motion.objects.filter(case=item.case).first()
        if motion is not None and item.motion_outcome and motion.can("decide"):
            motion_decide(
                motion, outcome=item.motion_outcome, decided_on=day, paragraph=item.paragraph, by=meeting.secretary
            )

        if any("@" in d for d in item.dispatch):
            from .tasks import mail_extract

            outbox_enqueue(mail_extract, item.pk, municipality_id=item.municipality_id)
    return True


def _remiss_answered_by(item: AgendaItem) -> Remiss | None:
    """The remiss this § answers: one to the meeting's own body, or, when the body is an utskott
    answering remisser by delegation, one to its nämnd. Without delegation an utskott's § is only a
    förslag to the nämnd and answers nothing."""
    body = item.meeting.body
    answering = [body.pk] + ([body.parent_id] if body.answers_for is not None else [])
    return (
        Remiss.objects.filter(response_case=item.case, to_body__in=answering, answer_source=None)
        .exclude(status__in=[RemissStatus.ANSWERED, RemissStatus.WITHDRAWN])
        .select_related("to_body")
        .order_by("pk")
        .first()
    )


def _yttrande_of(item: AgendaItem) -> list[Document]:
    """The yttrande the § decided on, to travel home with the extract: the § own approved paper, or
    else the case's latest approved paper (a case put on the agenda without one). Never a secret one."""
    paper = item.draft if item.draft_id else None
    if paper is None or paper.document_id is None:
        paper = (
            Draft.objects.filter(case=item.case_id, status=DraftStatus.APPROVED, document__isnull=False)
            .order_by("-approved_at")
            .first()
        )
    if paper is None or paper.document is None or paper.document.is_secret:
        return []
    return [paper.document]


def _extract_name(item: AgendaItem) -> str:
    meeting = item.meeting
    day = timezone.localtime(meeting.starts_at).date()
    return f"Protokollsutdrag {meeting.body.short_name} {day.isoformat()} § {item.paragraph}.pdf"


def extract_mail_send(item_id: int) -> bool:
    """Worker step: e-mail the registered extract to the addresses named in the §, once."""
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting", "meeting__body").get(pk=item_id)
        addresses = [d for d in item.dispatch if "@" in d]
        name = _extract_name(item)
        document = Document.objects.filter(case=item.case_id, file_name=name).order_by("-pk").first()
        if not addresses or document is None or not routing_step_claim(f"meeting-item:{item.pk}:mail"):
            return False
        mail = EmailMessage(
            subject=name.removesuffix(".pdf"),
            body=_("Protokollsutdrag bifogas.\n\n%(title)s") % {"title": item.title},
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=addresses,
        )
        with document.file.open("rb") as handle:
            mail.attach(name, handle.read(), "application/pdf")
        # Sent inside the transaction that claims the key: a crash before the commit resends, never skips.
        mail.send()
    return True


def item_expedite_failed(item_id: int, reason: str) -> None:
    """The worker gave up on a §: the meeting's secretary is told, with the reason."""
    item = AgendaItem.objects.select_related("meeting", "meeting__body").get(pk=item_id)
    _tell_secretary(
        item.meeting,
        key=f"meeting-item:{item.pk}:expedite_failed",
        subject=_("Expedieringen av § %(p)s misslyckades") % {"p": item.paragraph},
        body=_("§ %(p)s ”%(title)s” kunde inte expedieras: %(reason)s")
        % {"p": item.paragraph, "title": item.title, "reason": reason},
    )


def meeting_expedite_failed(meeting_id: int, reason: str) -> None:
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    _tell_secretary(
        meeting,
        key=f"meeting:{meeting.pk}:expedite_failed",
        subject=_("Expedieringen efter %(body)s sammanträde misslyckades") % {"body": meeting.body.name},
        body=_("Protokollet kunde inte expedieras: %(reason)s") % {"reason": reason},
    )


def _tell_secretary(meeting: Meeting, *, key: str, subject: str, body: str) -> None:
    secretary = User.objects.filter(pk=meeting.secretary_id).first() if meeting.secretary_id else None
    people = [secretary] if secretary else case_services.people_of_body(meeting.body, Role.SECRETARY)
    case_services.notify(people, key=key, subject=subject, body=body, municipality_id=meeting.municipality_id)


def meeting_items_to_expedite(meeting: Meeting) -> list[int]:
    return list(meeting.items.exclude(case=None).values_list("pk", flat=True))
