"""Use cases of drafting: create, save (optimistic concurrency), review, approve, freeze, proposals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Body, Case, Direction, RenderedPdf, Role, User
from cases.services import CaseError
from cases.services.notifications import notifications_done, notify

from .content import MAX_ITEM_LENGTH, MAX_ITEMS, PaperContent, Signatory
from .models import BlockType, DecisionProposal, Draft, DraftStatus, DraftVersion, PaperKind, PaperTemplate
from .permissions import can_reopen, can_review, can_submit


class DraftConflict(Exception):
    """Someone saved after the version the user started from. Nothing was overwritten."""

    def __init__(self, draft: Draft, refused: DraftVersion) -> None:
        super().__init__("draft conflict")
        self.draft = draft
        self.refused = refused


class DraftInvalid(CaseError):
    """What was entered breaks a rule of the paper; ``errors`` maps a field name to a Swedish message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def draft_input_errors(*, title: str | None = None, paper_date: date | None = None) -> dict[str, str]:
    """The rules a saved paper keeps, for the editor and any other caller alike."""
    errors = {}
    if title is not None:
        if not title.strip():
            errors["title"] = _("Rubriken får inte vara tom.")
        elif len(title.strip()) > 255:
            errors["title"] = _("Rubriken får vara högst 255 tecken.")
    if paper_date is not None and paper_date > timezone.localdate():
        errors["paper_date"] = _("Datumet kan inte ligga i framtiden.")
    return errors


def clean_content(template: PaperTemplate, content: PaperContent) -> PaperContent:
    """Keep only what the template has, sanitise every piece of HTML, trim lists."""
    keys = [s.key for s in template.sections.all() if s.block_type in (BlockType.TEXT, BlockType.SUMMARY)]
    return content.cleaned(keys)


def default_template(kind: str) -> PaperTemplate | None:
    return PaperTemplate.objects.filter(kind=kind).order_by("-is_default", "name").first()


@transaction.atomic
def draft_create(case: Case, *, template: PaperTemplate, by: User, title: str = "") -> Draft:
    if not case.is_open:
        raise CaseError(_("Ärendet är avslutat."))
    department = by.department
    head = (
        User.in_municipality.filter(department=department, roles__contains=[Role.HEAD], is_active=True).first()
        if department
        else None
    )
    signatories = [Signatory(name=by.get_full_name(), title=by.title)]
    if head is not None and head.pk != by.pk:
        signatories.insert(0, Signatory(name=head.get_full_name(), title=head.title))
    draft = Draft.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        template=template,
        title=title or case.title,
        department=department or case.department,
        addressee=case.body,
        author=by,
        content=PaperContent(signatories=signatories).to_json(),
        updated_by=by,
    )
    DraftVersion.objects.create(
        municipality_id=case.municipality_id,
        draft=draft,
        number=1,
        title=draft.title,
        content=draft.content,
        saved_by=by,
    )
    case_services.event_record(
        case, action="draft.created", by=by, draft=str(draft.uuid), kind=template.get_kind_display(), title=draft.title
    )
    return draft


def draft_save(
    draft: Draft,
    *,
    base_version: int,
    content: PaperContent | Mapping[str, Any],
    by: User,
    title: str | None = None,
    header: dict[str, Any] | None = None,
) -> Draft:
    """Save a new version, or refuse it as a conflict if someone saved since ``base_version``.

    A refused save is committed as a refused version before DraftConflict is raised, so the
    words are never lost, even though the draft itself is left as the other person saved it.
    ``content`` may be given in the stored JSON shape (the demo and fixtures do); it is read
    with ``PaperContent.from_json``.
    """
    errors = draft_input_errors(title=title, paper_date=(header or {}).get("paper_date"))
    if errors:
        raise DraftInvalid(errors)
    conflict: DraftConflict | None = None
    with transaction.atomic():
        locked = Draft.objects.select_for_update(of=("self",)).select_related("template").get(pk=draft.pk)
        cleaned = clean_content(locked.template, PaperContent.coerce(content))
        new_title = (title if title is not None else locked.title).strip()
        if locked.status == DraftStatus.APPROVED:
            raise CaseError(_("Utkastet är godkänt och låst. Öppna det för en ny version för att ändra."))
        if locked.status == DraftStatus.REVIEW:
            raise CaseError(_("Utkastet granskas och kan inte ändras förrän granskaren skickat tillbaka det."))
        if base_version != locked.version and _unchanged(locked, cleaned=cleaned, title=new_title, header=header):
            pass  # the very text already saved (a resent save whose answer was lost): nothing to refuse
        elif base_version != locked.version:
            refused = DraftVersion.objects.create(
                municipality_id=locked.municipality_id,
                draft=locked,
                number=locked.version,
                title=new_title,
                content=cleaned.to_json(),
                saved_by=by,
                refused=True,
                based_on=base_version,
            )
            conflict = DraftConflict(locked, refused)
        else:
            _apply(locked, cleaned=cleaned, title=new_title, header=header, base_version=base_version, by=by)
    if conflict is not None:
        raise conflict
    return locked


def _header_changes(locked: Draft, header: dict[str, Any] | None) -> dict[str, Any]:
    header = {
        k: v for k, v in (header or {}).items() if k in ("paper_date", "addressee", "department") and v is not None
    }
    return {k: v for k, v in header.items() if getattr(locked, k) != v}


def _unchanged(locked: Draft, *, cleaned: PaperContent, title: str, header: dict[str, Any] | None) -> bool:
    return cleaned == locked.paper and title == locked.title and not _header_changes(locked, header)


def _apply(
    locked: Draft, *, cleaned: PaperContent, title: str, header: dict[str, Any] | None, base_version: int, by: User
) -> None:
    changed_header = _header_changes(locked, header)
    if cleaned == locked.paper and title == locked.title and not changed_header:
        return  # nothing changed: an autosave that found nothing new makes no version
    locked.version += 1
    locked.content = cleaned.to_json()
    locked.title = title
    locked.updated_by = by
    fields = ["version", "content", "title", "updated_by", "updated_at"]
    for name, value in changed_header.items():
        setattr(locked, name, value)
        fields.append(name)
    if locked.frozen_at is not None:
        locked.changed_after_freeze = True
        fields.append("changed_after_freeze")
    locked.save(update_fields=fields)
    DraftVersion.objects.create(
        municipality_id=locked.municipality_id,
        draft=locked,
        number=locked.version,
        title=locked.title,
        content=locked.content,
        saved_by=by,
        based_on=base_version,
    )


def missing_sections(draft: Draft) -> list[str]:
    """Headings of the required sections that are still empty."""
    paper = draft.paper
    return [
        section.label_for(draft.addressee)
        for section in draft.template.sections.all()
        if section.required and paper.is_empty(section.block_type, section.key)
    ]


def _heads_of(draft: Draft) -> list[User]:
    qs = User.in_municipality.filter(roles__contains=[Role.HEAD], is_active=True)
    if draft.department_id:
        same = list(qs.filter(department_id=draft.department_id))
        if same:
            return same
    return list(qs)


@transaction.atomic
def draft_submit(draft: Draft, *, by: User) -> Draft:
    draft = Draft.objects.select_for_update(of=("self",)).select_related("template", "case").get(pk=draft.pk)
    if draft.status not in (DraftStatus.DRAFT, DraftStatus.RETURNED):
        raise CaseError(_("Utkastet är redan skickat för granskning."))
    if not can_submit(draft, by):
        raise CaseError(_("Bara handläggaren eller den som handlägger ärendet kan skicka utkastet för granskning."))
    missing = missing_sections(draft)
    if missing:
        raise CaseError(_("Fyll i det som saknas innan granskning: %(list)s.") % {"list": ", ".join(missing)})
    notifications_done(f"draft:{draft.pk}:returned:")  # the change asked for is made
    draft.status = DraftStatus.REVIEW
    draft.save(update_fields=["status", "updated_at"])
    case_services.event_record(
        draft.case, action="draft.submitted", by=by, draft=str(draft.uuid), version=draft.version
    )
    notify(
        [u for u in _heads_of(draft) if u.pk != by.pk],
        key=f"draft:{draft.pk}:review:{draft.version}",
        subject=_("Att granska: %(kind)s %(title)s")
        % {"kind": draft.template.get_kind_display(), "title": draft.title},
        body=_("%(author)s har skickat %(kind)s ”%(title)s” (%(dnr)s) för granskning.")
        % {
            "author": by.get_full_name() or by.username,
            "kind": draft.template.get_kind_display(),
            "title": draft.title,
            "dnr": draft.case.diarienummer,
        },
        url=reverse("papers:review", args=[draft.uuid]),
        municipality_id=draft.municipality_id,
    )
    return draft


@transaction.atomic
def draft_return(draft: Draft, *, comment: str, by: User) -> Draft:
    draft = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    if not can_review(draft, by):
        raise CaseError(_("Du kan inte granska det här utkastet."))
    if not comment.strip():
        raise CaseError(_("Skriv vad som behöver ändras."))
    notifications_done(f"draft:{draft.pk}:review:")  # reviewed
    draft.status = DraftStatus.RETURNED
    draft.review_comment = comment.strip()[:5000]
    draft.save(update_fields=["status", "review_comment", "updated_at"])
    case_services.event_record(draft.case, action="draft.returned", by=by, draft=str(draft.uuid))
    notify(
        [draft.author],
        key=f"draft:{draft.pk}:returned:{draft.version}",
        subject=_("Återsänt för ändring: %(title)s") % {"title": draft.title},
        body=draft.review_comment,
        url=reverse("papers:edit", args=[draft.uuid]),
        municipality_id=draft.municipality_id,
    )
    return draft


@transaction.atomic
def draft_approve(draft: Draft, *, by: User) -> Draft:
    """The head signs: the paper is locked, becomes a handling of the case, and its PDF is rendered."""
    from cases.pdf import pdf_request

    draft = Draft.objects.select_for_update(of=("self",)).select_related("case", "template").get(pk=draft.pk)
    if not can_review(draft, by):
        raise CaseError(_("Du kan inte godkänna det här utkastet."))
    notifications_done(f"draft:{draft.pk}:review:")  # reviewed
    draft.status = DraftStatus.APPROVED
    draft.approved_by = by
    draft.approved_at = timezone.now()
    draft.review_comment = ""
    document = case_services.document_register(
        draft.case,
        direction=Direction.INTERNAL,
        document_date=draft.paper_date,
        description=_("%(kind)s, %(date)s: %(title)s")
        % {
            "kind": draft.template.get_kind_display().capitalize(),
            "date": draft.paper_date.isoformat(),
            "title": draft.title,
        },
        by=by,
    )
    draft.document = document
    draft.save(update_fields=["status", "approved_by", "approved_at", "review_comment", "document", "updated_at"])
    satser = draft.paper.proposal
    if satser:
        proposal_record(
            draft.case,
            satser=satser,
            label=_("Förvaltningens förslag (%(dept)s)") % {"dept": draft.department.name if draft.department else ""},
            body=None,
            draft=draft,
            by=by,
        )
    case_services.event_record(
        draft.case,
        action="draft.approved",
        by=by,
        draft=str(draft.uuid),
        version=draft.version,
        document=document.sequence,
    )
    notify(
        [draft.author],
        key=f"draft:{draft.pk}:approved",
        subject=_("Godkänt: %(title)s") % {"title": draft.title},
        body=_("%(head)s har godkänt ”%(title)s”. Det är registrerat som handling %(n)s i %(dnr)s.")
        % {"head": by.get_full_name(), "title": draft.title, "n": document.sequence, "dnr": draft.case.diarienummer},
        url=reverse("papers:edit", args=[draft.uuid]),
        municipality_id=draft.municipality_id,
    )
    # Render afresh even if an earlier approval rendered the same text: this approval's handling
    # gets the PDF as its file when the worker has rendered it (papers.pdf.draft_pdf_register).
    RenderedPdf.objects.filter(kind="draft", key=str(draft.uuid)).update(source_hash="")
    pdf_request(municipality=draft.case.municipality, kind="draft", key=str(draft.uuid))
    return draft


@transaction.atomic
def draft_freeze(draft: Draft, *, by: User) -> Draft:
    """Placed on a meeting's agenda: later changes are flagged for the secretary."""
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.APPROVED:
        raise CaseError(_("Bara ett godkänt utlåtande kan läggas på föredragningslistan."))
    if draft.frozen_at is None:
        draft.frozen_at = timezone.now()
        draft.save(update_fields=["frozen_at"])
        case_services.event_record(draft.case, action="draft.frozen", by=by, draft=str(draft.uuid))
    return draft


@transaction.atomic
def draft_reopen(draft: Draft, *, by: User) -> Draft:
    """A change after approval is a new version: the paper opens again as a draft; the approved
    handling stays in the diarium as it was, and a frozen paper is flagged for the secretary."""
    draft = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    if draft.status != DraftStatus.APPROVED:
        raise CaseError(_("Utkastet är inte godkänt."))
    if not can_reopen(draft, by):
        raise CaseError(_("Bara handläggaren eller en chef kan öppna ett godkänt utlåtande igen."))
    draft.status = DraftStatus.DRAFT
    draft.approved_by, draft.approved_at, draft.document = None, None, None
    fields = ["status", "approved_by", "approved_at", "document", "updated_at"]
    if draft.frozen_at is not None:
        draft.changed_after_freeze = True
        fields.append("changed_after_freeze")
    draft.save(update_fields=fields)
    case_services.event_record(draft.case, action="draft.reopened", by=by, draft=str(draft.uuid))
    return draft


@transaction.atomic
def proposal_record(
    case: Case, *, satser: list[str], label: str, body: Body | None, by: User, draft: Draft | None = None
) -> DecisionProposal:
    """The next stage of the förslag till beslut: a body adopts, amends or replaces the previous one."""
    satser = [s.strip()[:MAX_ITEM_LENGTH] for s in satser if s.strip()][:MAX_ITEMS]
    if not satser:
        raise CaseError(_("Skriv minst en beslutssats."))
    last = DecisionProposal.objects.filter(case=case).order_by("-stage").first()
    proposal = DecisionProposal.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        stage=(last.stage + 1) if last else 1,
        body=body,
        label=label[:120],
        satser=satser,
        draft=draft,
        created_by=by,
    )
    case_services.event_record(case, action="proposal.recorded", by=by, stage=proposal.stage, label=proposal.label)
    return proposal


def kind_label(kind: str) -> str:
    return str(PaperKind(kind).label)
