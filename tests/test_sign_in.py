from __future__ import annotations

from django.urls import reverse


def test_a_user_signs_in_lands_on_mina_arenden_and_signs_out(client, ale):
    response = client.post(
        reverse("login"), {"username": ale.official.username, "password": "losen-for-test-1"}, follow=True
    )
    assert response.redirect_chain[-1] == (reverse("cases:mine"), 302)
    page = client.get(reverse("cases:mine")).content.decode()
    assert "Mina ärenden" in page
    assert ale.municipality.name in page
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("cases:mine")).status_code == 302


def test_a_wrong_password_gets_a_swedish_message(client, ale):
    response = client.post(reverse("login"), {"username": ale.official.username, "password": "fel"})
    assert response.status_code == 200
    assert "Användarnamnet eller lösenordet stämmer inte" in response.content.decode()


def test_sign_out_is_post_only(client, ale):
    client.force_login(ale.official)
    assert client.get(reverse("logout")).status_code == 405
