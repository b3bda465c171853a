from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.permissions import diarium_user_required

from .models import Motion


@diarium_user_required
def motion_list(request: HttpRequest) -> HttpResponse:
    motions = (
        Motion.objects.select_related("case", "raised_in")
        .prefetch_related("movers__person")
        .order_by("raised_on", "pk")
    )
    return render(request, "motions/motion_list.html", {"motions": motions})
