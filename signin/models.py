"""How a municipality's people sign in: its own OpenID Connect provider, and the roles that must
use a second factor (TOTP). docs/security.md describes both."""

from __future__ import annotations

import os

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Municipality, Role, User


class SignInPolicy(models.Model):
    """One row per municipality, set by the platform operator in the Django admin."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="sign_in", verbose_name=_("kommun")
    )
    totp_roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices),
        default=list,
        blank=True,
        verbose_name=_("roller som måste använda tvåstegsverifiering"),
    )
    oidc_issuer = models.URLField(
        _("OpenID Connect-utfärdare"),
        blank=True,
        help_text=_("Identitetsleverantörens issuer, t.ex. https://idp.kommun.se. Tomt: ingen kommuninloggning."),
    )
    oidc_client_id = models.CharField(_("klient-id"), max_length=200, blank=True)
    oidc_client_secret = models.CharField(
        _("klienthemlighet"),
        max_length=500,
        blank=True,
        help_text=_("Används bara om miljövariabeln OIDC_CLIENT_SECRET_<KOMMUN> saknas. Visas aldrig."),
    )
    oidc_claim = models.CharField(
        _("matchas på"),
        max_length=100,
        default="email",
        help_text=_(
            "”email” matchar användarens e-postadress; ett annat claim (t.ex. ”sub”) matchar ett kopplat konto-id."
        ),
    )

    class Meta:
        verbose_name = _("inloggningsinställning")
        verbose_name_plural = _("inloggningsinställningar")

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def has_oidc(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.client_secret)

    @property
    def client_secret(self) -> str:
        """The environment's OIDC_CLIENT_SECRET_<SLUG> (slug in capitals, - as _) before the stored field."""
        name = "OIDC_CLIENT_SECRET_" + self.municipality.slug.upper().replace("-", "_")
        return os.environ.get(name, "") or self.oidc_client_secret

    def requires_totp(self, user: User) -> bool:
        return user.has_role(*self.totp_roles)


class OidcIdentity(models.Model):
    """A user's account id at the municipality's identity provider, for a provider matched on a claim
    other than e-mail (the value of ``SignInPolicy.oidc_claim``)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="oidc_identity")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    value = models.CharField(_("konto-id hos identitetsleverantören"), max_length=255)

    class Meta:
        verbose_name = _("kopplat inloggningskonto")
        verbose_name_plural = _("kopplade inloggningskonton")
        constraints = [models.UniqueConstraint(fields=["municipality", "value"], name="oidc_identity_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.value})"
