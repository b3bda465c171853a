"""Signing in through the municipality's own identity provider (OpenID Connect), against a real
provider on a local port (tests/oidc_provider.py): only that municipality's users get in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse
from django_scopes import scopes_disabled
from joserfc import jwt
from joserfc.jwk import RSAKey

from cases.models import User
from signin.models import OidcIdentity, SignInPolicy

from .oidc_provider import Provider

SECRET = "klienthemlighet-som-aldrig-visas"
REFUSED_IN_ALE = "Det finns ingen användare i Ale kommun för den här inloggningen."


@pytest.fixture
def provider():
    with Provider(client_id="diariet-ale", client_secret=SECRET, redirect_uri="http://testserver/oidc/callback/") as p:
        yield p


@pytest.fixture
def policy(ale, provider):
    return SignInPolicy.objects.create(
        municipality=ale.municipality,
        oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id,
        oidc_client_secret=SECRET,
    )


def sign_in_through(client, provider, slug="ale"):
    """The browser's round trip: our start page, the provider's authorize page, back to our callback."""
    start = client.get(reverse("signin:oidc-start", args=[slug]))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def signed_in_user(client):
    return client.get(reverse("home")).wsgi_request.user


def test_a_user_of_the_municipality_signs_in_by_email(client, ale, provider, policy):
    provider.person = {"sub": "a1b2", "email": ale.official.email.upper()}
    response = sign_in_through(client, provider)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user(client) == ale.official
    assert provider.token_requests == 1


def test_a_user_of_another_municipality_is_refused_and_nobody_is_created(client, ale, alingsas, provider, policy):
    provider.person = {"sub": "c3d4", "email": alingsas.registrar.email}
    with scopes_disabled():
        before = User.objects.count()
    response = sign_in_through(client, provider)
    assert response["Location"] == reverse("login")
    page = client.get(response["Location"]).content.decode()
    assert REFUSED_IN_ALE in page
    assert not signed_in_user(client).is_authenticated
    with scopes_disabled():
        assert User.objects.count() == before


def test_an_unknown_person_is_refused_in_swedish(client, ale, provider, policy):
    provider.person = {"sub": "e5f6", "email": "okand@example.se"}
    response = sign_in_through(client, provider)
    assert REFUSED_IN_ALE in client.get(response["Location"]).content.decode()
    assert not signed_in_user(client).is_authenticated


def test_a_claim_matches_the_linked_account_id_within_the_municipality_only(client, ale, alingsas, provider, policy):
    policy.oidc_claim = "sub"
    policy.save()
    OidcIdentity.objects.create(user=alingsas.official, municipality=alingsas.municipality, value="199001011234")
    provider.person = {"sub": "199001011234"}
    sign_in_through(client, provider)
    assert not signed_in_user(client).is_authenticated

    OidcIdentity.objects.create(user=ale.head, municipality=ale.municipality, value="199001011234")
    client.logout()
    sign_in_through(client, provider)
    assert signed_in_user(client) == ale.head


def test_an_id_token_signed_with_another_key_is_refused(client, ale, provider, policy):
    provider.person = {"sub": "a1b2", "email": ale.official.email}
    forger = RSAKey.generate_key(2048, parameters={"kid": "nyckel-1", "alg": "RS256", "use": "sig"})
    genuine = provider.id_token

    def forged(nonce):
        claims = jwt.decode(genuine(nonce), provider.key).claims
        return jwt.encode({"alg": "RS256", "kid": "nyckel-1"}, claims, forger)

    provider.id_token = forged
    response = sign_in_through(client, provider)
    assert "Inloggningen kunde inte slutföras" in client.get(response["Location"]).content.decode()
    assert not signed_in_user(client).is_authenticated


def test_a_callback_without_a_started_sign_in_is_refused(client, ale, provider, policy):
    response = client.get(reverse("signin:oidc-callback"), {"code": "gissad", "state": "gissad"})
    assert response["Location"] == reverse("login")
    assert provider.token_requests == 0


def test_the_secret_can_come_from_the_environment(client, ale, provider, policy, monkeypatch):
    policy.oidc_client_secret = ""
    policy.save()
    monkeypatch.setenv("OIDC_CLIENT_SECRET_ALE", SECRET)
    provider.person = {"sub": "a1b2", "email": ale.registrar.email}
    sign_in_through(client, provider)
    assert signed_in_user(client) == ale.registrar


def test_the_sign_in_page_offers_the_button_only_where_configured_and_never_shows_the_secret(
    client, ale, alingsas, provider, policy
):
    page = client.get(reverse("login")).content.decode()
    assert "Logga in med e-legitimation / kommunens inloggning – Ale kommun" in page
    assert reverse("signin:oidc-start", args=["ale"]) in page
    assert "Alingsås kommun" not in page
    assert SECRET not in page
    assert client.get(reverse("signin:oidc-start", args=["alingsas"])).status_code == 404


def test_the_municipalitys_own_sign_in_needs_no_code_of_ours(client, ale, provider, policy):
    """The identity provider (e-legitimation) answers for its own factors; a TOTP requirement for the
    role applies to password sign-ins."""
    policy.totp_roles = ["handlaggare"]
    policy.save()
    provider.person = {"sub": "a1b2", "email": ale.official.email}
    sign_in_through(client, provider)
    assert client.get(reverse("cases:mine")).status_code == 200

    client.logout()
    client.force_login(ale.official, backend="signin.backends.PasswordBackend")
    assert client.get(reverse("cases:mine"))["Location"].startswith(reverse("signin:totp-enrol"))


def test_an_email_the_provider_calls_unverified_is_not_matched(client, ale, provider, policy):
    provider.person = {"sub": "a1b2", "email": ale.official.email, "email_verified": False}
    response = sign_in_through(client, provider)
    assert REFUSED_IN_ALE in client.get(response["Location"]).content.decode()
    assert not signed_in_user(client).is_authenticated


def test_the_operator_sets_the_secret_but_never_sees_it_again(admin_client, ale, policy):
    url = reverse("admin:signin_signinpolicy_change", args=[policy.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="oidc_client_secret"' in page
    assert SECRET not in page
    form = {
        "municipality": ale.municipality.pk,
        "oidc_issuer": policy.oidc_issuer,
        "oidc_client_id": policy.oidc_client_id,
        "oidc_client_secret": "",
        "oidc_claim": "email",
    }
    assert admin_client.post(url, form).status_code == 302
    policy.refresh_from_db()
    assert policy.oidc_client_secret == SECRET  # left empty: kept
    assert admin_client.post(url, {**form, "oidc_client_secret": "ny-hemlighet"}).status_code == 302
    policy.refresh_from_db()
    assert policy.oidc_client_secret == "ny-hemlighet"
