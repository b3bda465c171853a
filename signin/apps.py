from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = _("Inloggning")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .totp import remember_second_factor_step

        user_logged_in.connect(remember_second_factor_step, dispatch_uid="signin.second_factor_step")
