"""The organisation is configured data, edited here. A municipality's admin sees only its own rows
(the request's scope); a superuser without a municipality administers every tenant."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from .models import Body, Case, Department, Document, Membership, Municipality, Person, Remiss, User


class TenantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
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
class MunicipalityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
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


@admin.register(Document, Remiss)
class ReadOnlyTenantAdmin(CaseAdmin):
    list_display = ["__str__"]
    list_filter = []
    search_fields = []


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
