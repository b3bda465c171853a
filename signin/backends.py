"""The password backend, loading the signed-in user with their municipality in one query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithMunicipality:
    """``get_user`` as Django's, with the municipality joined: every signed-in request needs both
    (cases/middleware.py activates the municipality's scope), and one query beats two."""

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("municipality").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user: Any) -> bool:
        return getattr(user, "is_active", True)


class PasswordBackend(UserWithMunicipality, ModelBackend):
    """Django's ModelBackend (username and password), with ``get_user`` from UserWithMunicipality."""
