"""OpenID Connect sign-in against each municipality's own identity provider (mozilla-django-oidc).

mozilla-django-oidc is built for one provider named in the settings; here the provider is the one
the signing-in municipality configured (SignInPolicy). The flow starts at
``/oidc/<municipality>/logga-in/``, which remembers the municipality under the request's ``state``;
the shared callback picks it up again, so the code is exchanged with that municipality's provider
and the person is looked for only among that municipality's users. Nobody is ever created.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit
from weakref import WeakKeyDictionary

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .backends import UserWithMunicipality
from .models import SignInPolicy

logger = logging.getLogger(__name__)

SESSION_KEY = "signin.oidc_municipality"  # state -> municipality slug, for the callback
SIGNED_IN_WITH_OIDC = "signin.oidc"  # set on a session signed in through the municipality's provider
DISCOVERY_SECONDS = 3600
# The provider a callback request is being handled for (the library builds authenticate()'s arguments itself).
_policies: WeakKeyDictionary[HttpRequest, SignInPolicy] = WeakKeyDictionary()


def provider_for(slug: str) -> SignInPolicy | None:
    policy = SignInPolicy.objects.select_related("municipality").filter(municipality__slug=slug).first()
    return policy if policy is not None and policy.has_oidc else None


def configured_providers() -> list[SignInPolicy]:
    """The municipalities whose sign-in page shows the button to their own sign-in."""
    policies = SignInPolicy.objects.select_related("municipality").exclude(oidc_issuer="").exclude(oidc_client_id="")
    return [policy for policy in policies.order_by("municipality__name") if policy.has_oidc]


def discovery(policy: SignInPolicy) -> dict[str, Any]:
    """The provider's /.well-known/openid-configuration, cached for an hour; its issuer must be ours."""
    issuer = policy.oidc_issuer.rstrip("/")
    key = f"signin.oidc.discovery:{issuer}"
    cache = caches["local"]  # the provider's document: each process may fetch its own
    document = cache.get(key)
    if document is None:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer:
            raise SuspiciousOperation("The provider's discovery document names another issuer.")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


class MunicipalityOIDCBackend(UserWithMunicipality, OIDCAuthenticationBackend):
    """Authenticates only when the callback view hands it a municipality's provider
    (``request.oidc_policy``); every other ``authenticate()`` call passes it by."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # the endpoints come per request, not from settings
        self.UserModel = get_user_model()
        self.policy: SignInPolicy | None = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        policy = _policies.get(request) if request is not None else None
        if request is None or policy is None or "nonce" not in kwargs:
            return None
        endpoints = discovery(policy)
        self.policy = policy
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = policy.oidc_client_id
        self.OIDC_RP_CLIENT_SECRET = policy.client_secret
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def get_payload_data(self, token: bytes | str, key: Any) -> dict[str, Any]:
        """The ID token's claims, checked for signature, expiry, our client id and the issuer
        (the library itself checks neither audience nor issuer)."""
        policy = self._policy()
        try:
            return jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=policy.oidc_client_id,
                issuer=policy.oidc_issuer.rstrip("/"),
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """The matched claim is there, and an e-mail address is not one the provider calls unverified."""
        policy = self._policy()
        if policy.oidc_claim == "email" and claims.get("email_verified") is False:
            return False
        return bool(claims.get(policy.oidc_claim))

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The userinfo claims, which must be about the person the ID token is about (OIDC Core 5.3.2)."""
        claims = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo is about someone else than the ID token.")
        return dict(claims)

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        """Active users of this municipality only, matched on e-mail or on the linked account id."""
        policy = self._policy()
        users = self.UserModel.objects.filter(municipality=policy.municipality, is_active=True)
        value = str(claims.get(policy.oidc_claim, "")).strip()
        if not value:
            return users.none()
        if policy.oidc_claim == "email":
            return users.filter(email__iexact=value)
        return users.filter(oidc_identity__municipality=policy.municipality, oidc_identity__value=value)

    def _policy(self) -> SignInPolicy:
        if self.policy is None:
            raise SuspiciousOperation("No municipality's provider for this sign-in.")
        return self.policy

    def create_user(self, claims: dict[str, Any]) -> Any:
        raise SuspiciousOperation("Users are never created at sign-in.")


class OIDCStartView(OIDCAuthenticationRequestView):
    """GET /oidc/<municipality>/logga-in/: off to the municipality's provider; 404 if it has none."""

    def __init__(self, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request: HttpRequest, municipality: str) -> HttpResponse:
        policy = provider_for(municipality)
        if policy is None:
            raise Http404
        self.OIDC_OP_AUTH_ENDPOINT = discovery(policy)["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = policy.oidc_client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), state: municipality}
        return response


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the municipality is the one the flow began for."""

    def get(self, request: HttpRequest) -> HttpResponse:
        started = request.session.get(SESSION_KEY, {})
        slug = started.pop(request.GET.get("state", ""), None)
        request.session[SESSION_KEY] = started
        policy = provider_for(slug) if slug else None
        if policy is None:
            return self.refuse(_("Inloggningen kunde inte slutföras. Börja om från inloggningssidan."))
        _policies[request] = policy
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as error:
            logger.warning("OIDC sign-in for %s failed: %s", slug, error)
            return self.refuse(_("Inloggningen kunde inte slutföras. Börja om från inloggningssidan."))

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        self.request.session[SIGNED_IN_WITH_OIDC] = True
        return response

    def login_failure(self) -> HttpResponse:
        policy = _policies.get(self.request)
        if policy is not None and "code" in self.request.GET:
            return self.refuse(
                _(
                    "Det finns ingen användare i %(municipality)s för den här inloggningen. Kontakta kommunens "
                    "systemförvaltare om du ska ha ett konto."
                )
                % {"municipality": policy.municipality.name}
            )
        return self.refuse(_("Inloggningen avbröts."))

    def refuse(self, message: str) -> HttpResponseRedirect:
        messages.error(self.request, message)
        return redirect("login")
