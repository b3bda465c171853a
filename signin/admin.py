from __future__ import annotations

from django import forms
from django.contrib import admin

from .models import OidcIdentity, SignInPolicy


class SignInPolicyForm(forms.ModelForm):
    """The client secret can be set and replaced, never read back (an empty field keeps it)."""

    oidc_issuer = forms.URLField(
        required=False, assume_scheme="https", label=SignInPolicy._meta.get_field("oidc_issuer").verbose_name
    )
    oidc_client_secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        label=SignInPolicy._meta.get_field("oidc_client_secret").verbose_name,
    )

    class Meta:
        model = SignInPolicy
        fields = ["municipality", "totp_roles", "oidc_issuer", "oidc_client_id", "oidc_client_secret", "oidc_claim"]

    def clean_oidc_client_secret(self) -> str:
        return self.cleaned_data["oidc_client_secret"] or (self.instance.oidc_client_secret if self.instance.pk else "")


@admin.register(SignInPolicy)
class SignInPolicyAdmin(admin.ModelAdmin):
    form = SignInPolicyForm
    list_display = ["municipality", "oidc_issuer", "oidc_claim"]


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "value"]
    search_fields = ["user__username", "value"]
