from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.http import AuthedRequest
from cases.models import Body, RenderedPdf
from cases.pdf import pdf_request
from cases.permissions import diarium_user_required, get_case_for_user
from cases.services import CaseError

from . import services
from .comments import anchors_json, open_comments
from .content import PaperContent
from .diff import PartDiff, content_diff, redline, satser_redline, three_way
from .forms import CommentForm, EditorInput, NewDraftForm, ProposalForm, ReturnForm
from .models import BlockType, DecisionProposal, Draft, DraftVersion, TemplateSection
from .pdf import paper_context
from .permissions import (
    can_comment,
    can_create_draft,
    can_edit,
    can_record_proposal,
    can_reopen,
    can_request_pdf,
    can_review,
    can_submit,
    get_draft_for_user,
)


@diarium_user_required
@require_http_methods(["GET", "POST"])
def draft_new(request: AuthedRequest, ref: str) -> HttpResponse:
    case = get_case_for_user(request.user, ref)
    if not can_create_draft(request.user, case):
        raise Http404
    form = NewDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_create(case, template=form.cleaned_data["template"], by=request.user)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            return redirect("papers:edit", draft=draft.uuid)
    return render(request, "papers/draft_new.html", {"case": case, "form": form})


def _editor_context(
    draft: Draft, content: PaperContent | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    content = content or draft.paper
    comments = open_comments(draft)
    return {
        "open_comments": comments,
        "comment_anchors": anchors_json(comments),
        "draft": draft,
        "base_version": draft.version,
        "sections": list(draft.template.sections.all()),
        "content": content,
        "documents": draft.case.documents.filter(secrecy_provision="").order_by("sequence"),
        "chosen_documents": content.chosen_documents,
        "basis_extra": "\n".join(content.basis_extra),
        "proposal_text": "\n".join(content.proposal),
        "dispatch_text": "\n".join(content.dispatch),
        "signatories_text": content.signatories_text,
        "bodies": Body.objects.active(),
        "errors": errors or {},
        "BlockType": BlockType,
    }


@diarium_user_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: AuthedRequest, draft: str) -> HttpResponse:
    obj = get_draft_for_user(request.user, draft)
    editable = can_edit(obj, request.user)
    if request.method == "GET":
        if not editable:
            return redirect("papers:review", draft=obj.uuid)
        context = _editor_context(obj)
        context["can_resolve"] = True  # whoever edits resolves (permissions.can_resolve_comment)
        return render(request, "papers/editor.html", context)
    if not editable:
        raise Http404
    entered = EditorInput(obj, request.POST)
    autosave = bool(request.htmx)
    if entered.is_valid:
        try:
            saved = services.draft_save(
                obj,
                base_version=entered.base_version,
                content=entered.content,
                title=entered.title,
                header=entered.header,
                by=request.user,
            )
        except services.DraftConflict as conflict:
            if autosave:
                return render(
                    request, "papers/_save_status.html", {"draft": conflict.draft, "conflict": conflict.refused}
                )
            return redirect("papers:merge", draft=obj.uuid, refused=conflict.refused.pk)
        except services.DraftInvalid as invalid:
            entered.errors.update(invalid.errors)
        except CaseError as error:
            if autosave:
                return render(request, "papers/_save_status.html", {"draft": obj, "errors": {"status": str(error)}})
            messages.error(request, str(error))
            return redirect("papers:review", draft=obj.uuid)
        else:
            if autosave:
                return render(request, "papers/_save_status.html", {"draft": saved, "saved": True})
            messages.success(request, _("Sparat som version %(v)s.") % {"v": saved.version})
            return redirect("papers:edit", draft=saved.uuid)
    if autosave:
        return render(request, "papers/_save_status.html", {"draft": obj, "errors": entered.errors})
    return render(request, "papers/editor.html", _refused_form(request, obj, entered), status=400)


def _refused_form(request: AuthedRequest, draft: Draft, entered: EditorInput) -> dict[str, Any]:
    """The editor as the user left it: their text, and the version they opened it at (issue 8.5: a form
    that came back with the latest version number let the next Spara overwrite a save made meanwhile).
    A page without a version number gets 0, so its next save goes to the merge page, never over a save."""
    context = _editor_context(draft, entered.content, entered.errors)
    context.update(
        {
            "base_version": max(entered.base_version, 0),
            "title_value": entered.title,
            "date_value": request.POST.get("paper_date", ""),
            "addressee_value": getattr(entered.header.get("addressee"), "pk", None),
        }
    )
    return context


@diarium_user_required
@require_safe
def draft_merge(request: AuthedRequest, draft: str, refused: int) -> HttpResponse:
    """Two people saved the same draft: show both, side by side, and let this user merge."""
    obj = get_draft_for_user(request.user, draft)
    mine = DraftVersion.objects.filter(draft=obj, pk=refused, refused=True, saved_by=request.user).first()
    if mine is None:
        raise Http404
    theirs = (
        DraftVersion.objects.filter(draft=obj, number=obj.version, refused=False).select_related("saved_by").first()
    )
    base = DraftVersion.objects.filter(draft=obj, number=mine.based_on, refused=False).first()
    sections = list(obj.template.sections.all())
    theirs_content = theirs.paper if theirs else obj.paper
    merged, conflicts = three_way(base.paper if base else theirs_content, theirs_content, mine.paper)
    diffs = content_diff(sections, theirs_content, mine.paper, obj.addressee)
    clashing = {s.label_for(obj.addressee) for s in sections if _conflict_key(s) in conflicts}
    base_title = base.title if base else obj.title
    title = mine.title if mine.title != base_title else obj.title
    context = _editor_context(obj, merged)
    context.update(
        {
            "mine": mine,
            "theirs": theirs,
            "diffs": diffs,
            "clashing": clashing,
            "title_value": title,
            "title_diff": redline(obj.title, mine.title),
        }
    )
    return render(request, "papers/merge.html", context)


def _conflict_key(section: TemplateSection) -> str:
    if section.block_type in (BlockType.TEXT, BlockType.SUMMARY):
        return f"section:{section.key}"
    return {"proposal": "proposal", "basis": "basis", "dispatch": "dispatch"}.get(section.block_type, "signatories")


@diarium_user_required
@require_safe
def draft_history(request: AuthedRequest, draft: str) -> HttpResponse:
    obj = get_draft_for_user(request.user, draft)
    versions = list(obj.versions.select_related("saved_by").order_by("-number", "-pk"))
    saved = [v for v in versions if not v.refused]
    diffs = None
    a_num, b_num = request.GET.get("a"), request.GET.get("b")
    if a_num and b_num and a_num.isdigit() and b_num.isdigit():
        by_number = {v.number: v for v in saved}
        a, b = by_number.get(int(a_num)), by_number.get(int(b_num))
        if a is None or b is None:
            messages.error(request, _("Välj två versioner som finns."))
        else:
            diffs = content_diff(list(obj.template.sections.all()), a.paper, b.paper, obj.addressee)
            diffs.insert(0, _title_part(a.title, b.title))
    return render(
        request,
        "papers/history.html",
        {"draft": obj, "versions": versions, "diffs": diffs, "a": a_num, "b": b_num, "latest": obj.version},
    )


def _title_part(old: str, new: str) -> PartDiff:
    return PartDiff(label=_("Rubrik"), changed=old != new, html=redline(old, new))


@diarium_user_required
@require_safe
def draft_review(request: AuthedRequest, draft: str) -> HttpResponse:
    """The paper as it reads, with the review actions for a head and the PDF."""
    obj = get_draft_for_user(request.user, draft)
    pdf = RenderedPdf.objects.filter(kind="draft", key=str(obj.uuid)).first()
    context = paper_context(obj)
    context.update(
        {
            "pdf": pdf,
            "can_review": can_review(obj, request.user),
            "can_edit": can_edit(obj, request.user),
            "can_submit": can_submit(obj, request.user),
            "can_reopen": can_reopen(obj, request.user),
            "can_request_pdf": can_request_pdf(obj, request.user),
            "missing": services.missing_sections(obj),
            "return_form": ReturnForm(),
            "can_comment": can_comment(obj, request.user),
            "comment_form": CommentForm(obj),
            "open_comments": open_comments(obj),
            "preview": RenderedPdf.objects.filter(kind="draft-preview", key=str(obj.uuid)).first(),
        }
    )
    return render(request, "papers/review.html", context)


def _done_or_refused(request: AuthedRequest, action: Callable[[], object], done: str) -> bool:
    """Run one service; say what happened in Swedish. True when it was done."""
    try:
        action()
    except CaseError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, done)
    return True


@diarium_user_required
@require_POST
def draft_submit(request: AuthedRequest, draft: str) -> HttpResponse:
    obj = get_draft_for_user(request.user, draft)
    if not can_edit(obj, request.user):
        raise Http404
    _done_or_refused(request, lambda: services.draft_submit(obj, by=request.user), _("Skickat för granskning."))
    return redirect("papers:review", draft=obj.uuid)


@diarium_user_required
@require_POST
def draft_approve(request: AuthedRequest, draft: str) -> HttpResponse:
    """The service asks can_review: the author sees why they may not, anyone else the same."""
    obj = get_draft_for_user(request.user, draft)
    _done_or_refused(
        request,
        lambda: services.draft_approve(obj, by=request.user),
        _("Godkänt och registrerat i ärendet. PDF:en skapas."),
    )
    return redirect("papers:review", draft=obj.uuid)


@diarium_user_required
@require_POST
def draft_return(request: AuthedRequest, draft: str) -> HttpResponse:
    obj = get_draft_for_user(request.user, draft)
    form = ReturnForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    _done_or_refused(
        request, lambda: services.draft_return(obj, comment=comment, by=request.user), _("Återsänt till handläggaren.")
    )
    return redirect("papers:review", draft=obj.uuid)


@diarium_user_required
@require_POST
def draft_reopen(request: AuthedRequest, draft: str) -> HttpResponse:
    obj = get_draft_for_user(request.user, draft)
    if _done_or_refused(
        request, lambda: services.draft_reopen(obj, by=request.user), _("Utlåtandet är öppnat för en ny version.")
    ):
        return redirect("papers:edit", draft=obj.uuid)
    return redirect("papers:review", draft=obj.uuid)


@diarium_user_required
@require_POST
def draft_pdf(request: AuthedRequest, draft: str) -> HttpResponse:
    obj = get_draft_for_user(request.user, draft)
    if can_request_pdf(obj, request.user):
        pdf_request(municipality=request.municipality, kind="draft", key=str(obj.uuid))
    else:
        messages.error(request, _("PDF skapas för godkända utlåtanden."))
    return redirect("papers:review", draft=obj.uuid)


@diarium_user_required
@require_http_methods(["GET", "POST"])
def proposals(request: AuthedRequest, ref: str) -> HttpResponse:
    """Förslag till beslut stage by stage, with the redline of what each body changed."""
    case = get_case_for_user(request.user, ref)
    stages = list(DecisionProposal.objects.filter(case=case).select_related("body", "created_by").order_by("stage"))
    can_record = can_record_proposal(request.user, case)
    form = ProposalForm(request.POST or None, initial={"satser": "\n".join(stages[-1].satser) if stages else ""})
    if request.method == "POST":
        if not can_record:
            raise Http404
        if form.is_valid():
            try:
                services.proposal_record(
                    case,
                    satser=form.cleaned_data["satser"],
                    label=form.cleaned_data["label"],
                    body=form.cleaned_data["body"],
                    by=request.user,
                )
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Förslaget är sparat."))
                return redirect("papers:proposals", ref=case.ref)
    rows = []
    previous: list[str] | None = None
    for stage in stages:
        rows.append(
            {"stage": stage, "redline": satser_redline(previous, stage.satser) if previous is not None else None}
        )
        previous = stage.satser
    return render(
        request, "papers/proposals.html", {"case": case, "rows": rows, "form": form, "can_record": can_record}
    )
