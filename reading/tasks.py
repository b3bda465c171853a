"""Thin Celery wrappers for the reading room (see cases/tasks.py for the conventions)."""

from __future__ import annotations

from celery import shared_task

from cases.taskbase import TenantTask

from .models import MeetingPackage


@shared_task(base=TenantTask, model=MeetingPackage, give_up="reading.package.package_build_failed")
def build_meeting_package(package_id: int) -> bool:
    from .package import package_build

    return package_build(package_id)
