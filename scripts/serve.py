"""Run the whole system: embedded PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL name
external ones), migrations, demo data, then web (gunicorn), Celery worker, Celery beat and a
local SMTP sink. Ctrl-C stops everything this script started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alingsas_ale import embedded  # noqa: E402

PY = sys.executable


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")
    env.setdefault("STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    started: list[subprocess.Popen[bytes]] = []
    pg_server = None

    if not env.get("DATABASE_URL"):
        import pgserver

        (ROOT / "var").mkdir(exist_ok=True)
        pg_server = pgserver.get_server(ROOT / "var" / "pg", cleanup_mode="stop")
        env["DATABASE_URL"] = pg_server.get_uri()
        print("PostgreSQL (inbäddad):", env["DATABASE_URL"], flush=True)
    if not env.get("REDIS_URL"):
        port = embedded.default_redis_port()
        if not embedded.redis_is_up(port):
            started.append(embedded.start_redis(port, appendonly=True))
        env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        print("Redis (inbäddad):", env["REDIS_URL"], flush=True)
    if not env.get("EMAIL_HOST"):
        mail_dir = ROOT / "var" / "mail"
        for part in ("tmp", "new", "cur"):  # a Maildir: the SMTP sink stores each message here
            (mail_dir / part).mkdir(parents=True, exist_ok=True)
        env["EMAIL_HOST"], env["EMAIL_PORT"] = "127.0.0.1", env.get("EMAIL_PORT", "1025")
        started.append(
            subprocess.Popen(
                [
                    PY,
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"127.0.0.1:{env['EMAIL_PORT']}",
                    "-c",
                    "aiosmtpd.handlers.Mailbox",
                    str(mail_dir),
                ],
                env=env,
            )
        )
        print("E-post sparas i", mail_dir, flush=True)

    manage = [PY, str(ROOT / "manage.py")]
    for step in (["migrate", "--no-input"], ["load_demo"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([*manage, *step], env=env, check=True)

    bind = env.get("BIND", "127.0.0.1:8000")
    processes = [
        [
            PY,
            "-m",
            "gunicorn",
            "alingsas_ale.wsgi",
            "--bind",
            bind,
            "--workers",
            env.get("WEB_WORKERS", "3"),
            "--access-logfile",
            "-",
        ],
        embedded.celery_worker_command(PY, concurrency=2),
        [PY, "-m", "celery", "-A", "alingsas_ale", "beat", "--loglevel", "INFO"],
    ]
    for command in processes:
        started.append(subprocess.Popen(command, cwd=ROOT, env=env))
    print(f"\nSystemet kör på http://{bind}/  (Ctrl-C stoppar allt)\n", flush=True)

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for proc in started:
            if proc.poll() is not None:
                print(f"En process avslutades oväntat ({proc.args!r}); stoppar allt.", flush=True)
                exit_code = 1
                stopping = True
                break
        time.sleep(0.5)

    for proc in reversed(started):
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + 15
    for proc in started:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
    del pg_server  # the embedded PostgreSQL stops when this, its last handle, exits
    print("Allt stoppat.", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
