"""The session limits are read from the environment (README's configuration table)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

READ = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE, settings.SESSION_IDLE_TIMEOUT)"


def settings_in(**environment: str) -> list[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alingsas_ale.settings",
        "DATABASE_URL": "postgres://nobody@db.invalid/none",  # never connected: only the settings are read
        "SECRET_KEY": "x" * 60,
        **environment,
    }
    for name in ("SESSION_COOKIE_AGE", "SESSION_IDLE_TIMEOUT"):
        if name not in environment:
            env.pop(name, None)
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", READ],
        env=env,
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_the_session_limits_default_to_a_working_day_and_an_idle_hour():
    assert settings_in() == ["28800", "3600"]


def test_the_session_limits_come_from_the_environment():
    assert settings_in(SESSION_COOKIE_AGE="7200", SESSION_IDLE_TIMEOUT="900") == ["7200", "900"]
