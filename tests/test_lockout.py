"""Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
address, that pair is refused, the right password included, with a Swedish message, until
AXES_COOLOFF_MINUTES have passed. Other users, and the same user elsewhere, are not locked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from alingsas_ale.security import client_ip

PASSWORD = "rätt-lösenord-2026"
LOCKED = "För många misslyckade inloggningsförsök"
WRONG = "Användarnamnet eller lösenordet stämmer inte"


@pytest.fixture
def people(ale):
    for user in (ale.official, ale.registrar):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return ale


def sign_in(client, username, password, address="192.0.2.10", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_lock_the_account_even_against_the_right_one(client, people, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    user = people.official.username
    for attempt in range(1, 21):
        response = sign_in(client, user, f"gissning-{attempt}")
        if attempt < 5:
            assert response.status_code == 200 and WRONG in response.content.decode()
        else:
            assert response.status_code == 429, attempt
    response = sign_in(client, user, PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in page and "spärrad i 30 minuter" in page
    assert WRONG not in page
    assert f'value="{user}"' in page  # the form is still there, with the name filled in
    assert not signed_in(client)
    assert client.get(reverse("cases:mine")).status_code == 302


def test_another_user_and_the_same_user_elsewhere_are_not_locked(client, people):
    for attempt in range(6):
        sign_in(client, people.official.username, f"gissning-{attempt}")
    assert sign_in(client, people.official.username, PASSWORD).status_code == 429

    assert sign_in(client, people.registrar.username, PASSWORD).status_code == 302
    assert signed_in(client)
    client.logout()
    assert sign_in(client, people.official.username, PASSWORD, address="198.51.100.7").status_code == 302
    assert signed_in(client)


def test_fewer_failures_than_the_limit_do_not_lock_and_a_success_starts_the_count_again(client, people):
    user = people.official.username
    for attempt in range(4):
        assert sign_in(client, user, f"gissning-{attempt}").status_code == 200
    assert sign_in(client, user, PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        assert sign_in(client, user, f"gissning-{attempt}").status_code == 200
    assert sign_in(client, user, PASSWORD).status_code == 302  # four more were allowed: the count was reset


def test_the_lock_ends_after_the_cool_off(client, people):
    user = people.official.username
    for attempt in range(5):
        sign_in(client, user, f"gissning-{attempt}")
    assert sign_in(client, user, PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username=user).update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert sign_in(client, user, PASSWORD).status_code == 302
    assert signed_in(client)


def test_behind_a_proxy_a_forged_forwarded_for_does_not_escape_the_lock(client, people, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = people.official.username
    for attempt in range(5):
        forged = f"203.0.113.{attempt}, 192.0.2.99"  # the client's claim, then what the proxy appended
        sign_in(client, user, f"gissning-{attempt}", address="10.0.0.2", HTTP_X_FORWARDED_FOR=forged)
    locked = sign_in(client, user, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.200, 192.0.2.99")
    assert locked.status_code == 429
    other = sign_in(client, user, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.100")
    assert other.status_code == 302  # another client behind the same proxy is not locked


def test_the_client_address_is_the_peer_unless_proxies_are_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1, 192.0.2.99")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "192.0.2.99"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.1"
