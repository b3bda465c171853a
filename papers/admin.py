from django.contrib import admin

from cases.admin import TenantAdmin

from .models import PaperTemplate, TemplateSection


class SectionInline(admin.TabularInline):
    model = TemplateSection
    fields = ["ordering", "key", "heading", "block_type", "required", "guidance"]
    extra = 0

    def get_exclude(self, request, obj=None):
        return ["municipality"]


@admin.register(PaperTemplate)
class PaperTemplateAdmin(TenantAdmin):
    list_display = ["name", "kind", "heading", "is_default"]
    inlines = [SectionInline]

    def save_formset(self, request, form, formset, change):
        for section in formset.save(commit=False):
            section.municipality_id = form.instance.municipality_id
            section.save()
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()
