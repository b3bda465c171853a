"""The password backend, loading the signed-in user with their municipality in one query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from alingsas_ale.hotpath import user_with_municipality
from cases.context_processors import menu_columns


class UserWithMunicipality:
    """``get_user`` as Django's, with the municipality joined: every signed-in request needs both
    (cases/middleware.py activates the municipality's scope), and one query beats two. Its SQL is
    written once per process (alingsas_ale/hotpath.py): the ORM took longer to build it than
    PostgreSQL took to answer."""

    def get_user(self, user_id: Any) -> Any:
        try:
            user = user_with_municipality(get_user_model(), int(user_id), also=menu_columns())
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user: Any) -> bool:
        return getattr(user, "is_active", True)


class PasswordBackend(UserWithMunicipality, ModelBackend):
    """Django's ModelBackend (username and password), with ``get_user`` from UserWithMunicipality."""
