"""The second factor (TOTP, django-otp): setting up an app from a QR code or key, codes computed here
as the phone computes them, a municipality requiring it for a role, and wrong codes locked out."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Role
from signin.models import SignInPolicy

PASSWORD = "losen-for-test-1"  # tests/factories.py
WRONG_CODE = "Koden stämmer inte"
LOCKED = "För många misslyckade inloggningsförsök"


def code_for(key: bytes) -> str:
    """The code an authenticator app shows now."""
    return f"{totp(key):06d}"


@pytest.fixture(autouse=True)
def clock(time_machine):
    """Time stands still, so a code never turns over between computing and sending it."""
    time_machine.move_to(datetime.now(tz=UTC).replace(second=5, microsecond=0), tick=False)
    return time_machine


def sign_in(client, user, address="192.0.2.20"):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address)
    assert response.status_code == 302, response.content.decode()
    return response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def registrars_need_it(ale):
    return SignInPolicy.objects.create(municipality=ale.municipality, totp_roles=[Role.REGISTRAR])


def enrolment_secret(page: str) -> bytes:
    secret = re.search(r'<code id="totp-secret">([A-Z2-7=]+)</code>', page).group(1)
    return b32decode(secret)


def test_a_required_role_sets_up_the_app_before_anything_else(client, ale, registrars_need_it):
    sign_in(client, ale.registrar)
    mine = reverse("cases:mine")
    response = client.get(mine)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('signin:totp-enrol')}?next=%2Farenden%2Fmina%2F"
    assert client.get(reverse("cases:diarium"))["Location"].startswith(reverse("signin:totp-enrol"))

    page = client.get(response["Location"]).content.decode()
    assert "Kommunen kräver tvåstegsverifiering för din roll" in page
    assert 'src="data:image/svg+xml' in page  # the QR code, an image (no script: the CSP stays strict)
    key = enrolment_secret(page)
    with ale.scope():
        device = TOTPDevice.objects.get(user=ale.registrar)
    assert device.bin_key == key and not device.confirmed
    assert unescape(re.search(r'<img src="([^"]+)"', page).group(1)).startswith("data:image/svg+xml")

    response = client.post(response["Location"], {"code": code_for(key), "next": mine})
    assert response.status_code == 302 and response["Location"] == mine
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(mine).status_code == 200


def test_a_role_the_municipality_does_not_list_goes_straight_in(client, ale, registrars_need_it):
    sign_in(client, ale.official)
    assert client.get(reverse("cases:mine")).status_code == 200


def test_a_wrong_code_is_refused_in_swedish(client, ale, registrars_need_it):
    sign_in(client, ale.registrar)
    response = client.post(reverse("signin:totp-enrol"), {"code": "000000"})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert client.get(reverse("cases:mine"))["Location"].startswith(reverse("signin:totp-enrol"))
    response = client.post(reverse("signin:totp-enrol"), {"code": "12ab"})
    assert "Skriv de sex siffrorna som appen visar." in response.content.decode()


def test_a_user_with_an_app_gives_a_code_at_every_sign_in(client, ale, clock):
    device = TOTPDevice.objects.create(user=ale.official, name="Telefon", confirmed=True)
    sign_in(client, ale.official)
    detail = reverse("cases:diarium")
    response = client.get(detail)
    assert response["Location"] == f"{reverse('signin:totp-verify')}?next=%2Fdiarium%2F"
    response = client.post(reverse("signin:totp-verify"), {"code": code_for(device.bin_key), "next": detail})
    assert response["Location"] == detail
    assert client.get(detail).status_code == 200

    client.post(reverse("logout"))
    sign_in(client, ale.official)
    assert client.get(detail)["Location"].startswith(reverse("signin:totp-verify"))
    # the code just used does not work twice; the next one does
    assert WRONG_CODE in client.post(reverse("signin:totp-verify"), {"code": code_for(device.bin_key)}).content.decode()
    clock.shift(timedelta(seconds=30))
    response = client.post(reverse("signin:totp-verify"), {"code": code_for(device.bin_key), "next": detail})
    assert response["Location"] == detail


def test_wrong_codes_lock_the_user_out_like_wrong_passwords(client, ale, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    device = TOTPDevice.objects.create(user=ale.official, name="Telefon", confirmed=True)
    sign_in(client, ale.official)
    for _attempt in range(4):
        response = client.post(reverse("signin:totp-verify"), {"code": "000000"}, REMOTE_ADDR="192.0.2.20")
        assert WRONG_CODE in response.content.decode()
    response = client.post(reverse("signin:totp-verify"), {"code": "000000"}, REMOTE_ADDR="192.0.2.20")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)

    # the right password and then the right code are refused too, until the cool-off has passed
    response = client.post(
        reverse("login"), {"username": ale.official.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.20"
    )
    assert response.status_code == 429
    assert not signed_in(client)
    assert device.verify_is_allowed()[0]  # the lock is axes', on username and address, not the device's throttle


def test_anonymous_visitors_are_sent_to_sign_in_not_to_the_second_factor(client, ale):
    for name in ("signin:totp-verify", "signin:totp-enrol"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
