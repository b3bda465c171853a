from django.apps import AppConfig


class AlingsasAleConfig(AppConfig):
    name = "alingsas_ale"
    verbose_name = "Alingsås–Ale"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from .hotpath import plan_generically
        from .security import start_session_clock

        # The session limits count from sign-in; set in the same session write as the sign-in itself.
        user_logged_in.connect(start_session_clock, dispatch_uid="alingsas_ale.start_session_clock")
        connection_created.connect(plan_generically, dispatch_uid="alingsas_ale.plan_generically")
