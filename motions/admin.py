from django.contrib import admin

from cases.admin import ReadOnlyTenantAdmin

from .models import Motion


@admin.register(Motion)
class MotionAdmin(ReadOnlyTenantAdmin):
    list_display = ["__str__", "raised_on", "status", "outcome"]
