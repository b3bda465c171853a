"""The Django admin is for platform operators (superusers) only: municipal administrators use the
administration pages in the app. It never shows a secret handling's description or counterpart."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from .models import Body, Case, Department, Document, Membership, Municipality, Person, Remiss, User


def _platform_operator_only(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


# Staff status alone opens nothing: only superusers reach the admin site at all.
admin.site.has_permission = _platform_operator_only  # type: ignore[method-assign]
admin.site.site_header = "Plattformsadministration"


class TenantAdmin(admin.ModelAdmin):
    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        if getattr(request, "municipality", None) is not None:
            return ["municipality"]
        return super().get_exclude(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        municipality = getattr(request, "municipality", None)
        if municipality is not None:
            obj.municipality = municipality
        super().save_model(request, obj, form, change)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "diarienummer_format"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Body)
class BodyAdmin(TenantAdmin):
    list_display = ["name", "short_name", "kind", "parent", "diarium_series", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(Department)
class DepartmentAdmin(TenantAdmin):
    list_display = ["name", "short_name"]
    filter_horizontal = ["bodies"]


@admin.register(Person)
class PersonAdmin(TenantAdmin):
    list_display = ["last_name", "first_name", "email"]
    search_fields = ["first_name", "last_name"]


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ["person", "body", "role", "party", "starts_on", "ends_on"]
    list_filter = ["body", "role", "party"]


@admin.register(Case)
class CaseAdmin(TenantAdmin):
    """Read-only: cases are registered through the diarium so numbers and events stay right."""

    list_display = ["diarienummer", "title", "body", "status", "registered_on"]
    list_filter = ["status", "body"]
    search_fields = ["diarienummer", "title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyTenantAdmin(CaseAdmin):
    list_display = ["__str__"]
    list_filter = []
    search_fields = []


@admin.register(Remiss)
class RemissAdmin(ReadOnlyTenantAdmin):
    list_display = ["__str__", "deadline", "status"]
    list_filter = ["status"]
    search_fields = []


@admin.register(Document)
class DocumentAdmin(ReadOnlyTenantAdmin):
    """Only the register's open fields: a secret handling's description and counterpart never show."""

    list_display = ["case", "sequence", "document_date", "direction", "open_description", "secrecy_provision"]
    list_filter = ["direction"]
    search_fields = []
    fields = ("case", "sequence", "document_date", "direction", "open_description", "secrecy_provision")
    readonly_fields = fields

    @admin.display(description="beskrivning")
    def open_description(self, obj: Document) -> str:
        return "(sekretess)" if obj.is_secret else obj.description


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Kommun och roller", {"fields": ("municipality", "roles", "title", "department")}),
    )
    list_display = ["username", "first_name", "last_name", "municipality", "roles", "is_active"]
    list_filter = ["municipality", "is_active"]

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        municipality = getattr(request, "municipality", None)
        return qs.filter(municipality=municipality) if municipality is not None else qs
