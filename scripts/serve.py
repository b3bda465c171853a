"""Run the whole system: embedded PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL name
external ones), migrations, demo data, then web (gunicorn), Celery worker, Celery beat and a
local SMTP sink, under a small supervisor.

A process that dies is started again after a back-off (1 s, doubling to 60 s; reset after a
minute of good running) and the restart is logged; only Ctrl-C (SIGINT) or SIGTERM stops
everything. A start that fails half-way stops whatever it had already started. The supervisor
writes the pid of each process it runs to ``<VAR_DIR>/run/serve.json`` for operators and tests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alingsas_ale import embedded  # noqa: E402

PY = sys.executable
BACKOFF_MAX = 60.0
STABLE_AFTER = 60.0


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class Service:
    """One supervised process: how to start it, and its restart bookkeeping."""

    name: str
    command: list[str]
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    backoff: float = 1.0
    restart_at: float | None = None
    restarts: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def start(self) -> None:
        self.proc = subprocess.Popen(self.command, cwd=ROOT, env=self.env)  # noqa: S603 - our own commands
        self.started_at = time.monotonic()
        self.restart_at = None

    def stop(self, timeout: float) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


class Supervisor:
    def __init__(self, status_file: Path) -> None:
        self.services: list[Service] = []
        self.status_file = status_file
        self.stopping = False

    def add(self, service: Service, *, wait: Any = None) -> Service:
        service.start()
        self.services.append(service)
        if wait is not None:
            wait()
        self.write_status()
        return service

    def write_status(self) -> None:
        self.status_file.parent.mkdir(parents=True, exist_ok=True)
        status = {
            s.name: {"pid": s.proc.pid if s.proc and s.proc.poll() is None else None, "restarts": s.restarts}
            for s in self.services
        }
        status["supervisor"] = {"pid": os.getpid(), "restarts": 0}
        tmp = self.status_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(status))
        tmp.replace(self.status_file)

    def watch(self) -> None:
        """Until asked to stop: restart what died, with a back-off."""
        while not self.stopping:
            now = time.monotonic()
            changed = False
            for service in self.services:
                proc = service.proc
                if service.restart_at is None and proc is not None and proc.poll() is not None:
                    ran_for = now - service.started_at
                    if ran_for >= STABLE_AFTER:
                        service.backoff = 1.0
                    log(
                        f"{service.name} avslutades oväntat (kod {proc.returncode}) efter {ran_for:.0f} s; "
                        f"startas om om {service.backoff:.0f} s."
                    )
                    service.restart_at = now + service.backoff
                    service.backoff = min(service.backoff * 2, BACKOFF_MAX)
                    changed = True
                elif service.restart_at is not None and now >= service.restart_at:
                    try:
                        service.start()
                    except OSError as error:
                        log(f"{service.name} kunde inte startas: {error}; nytt försök om {service.backoff:.0f} s.")
                        service.restart_at = now + service.backoff
                        service.backoff = min(service.backoff * 2, BACKOFF_MAX)
                        continue
                    service.restarts += 1
                    log(f"{service.name} startades om (pid {service.proc.pid if service.proc else '?'}).")
                    changed = True
            if changed:
                self.write_status()
            time.sleep(0.25)

    def stop_all(self) -> None:
        deadline = time.monotonic() + 15
        for service in reversed(self.services):
            service.stop(timeout=max(0.5, deadline - time.monotonic()))
        self.services.clear()
        self.status_file.unlink(missing_ok=True)


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")
    env.setdefault("STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    var = embedded.var_dir()
    env["VAR_DIR"] = str(var)
    supervisor = Supervisor(var / "run" / "serve.json")
    pg_server = None

    def ask_to_stop(*_: object) -> None:
        supervisor.stopping = True
        raise KeyboardInterrupt

    # Set both explicitly: a process started in the background by a shell inherits SIGINT ignored.
    signal.signal(signal.SIGTERM, ask_to_stop)
    signal.signal(signal.SIGINT, ask_to_stop)
    exit_code = 0
    try:
        if not env.get("DATABASE_URL"):
            runtime = var / "run"
            runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
            import pgserver

            pg_server = pgserver.get_server(var / "pg", cleanup_mode="stop")
            # The web and the worker sign in as the runtime role; migrate as the owner (docs/audit.md).
            env["DATABASE_URL"], env["DATABASE_OWNER_URL"] = embedded.database_roles(pg_server.get_uri())
            log(f"PostgreSQL (inbäddad): {env['DATABASE_URL']} (ägare vid migrering: {env['DATABASE_OWNER_URL']})")
        if not env.get("REDIS_URL"):
            port = embedded.default_redis_port()
            if embedded.redis_is_up(port):
                log(f"Redis svarar redan på port {port}; den används som den är.")
            else:
                supervisor.add(
                    Service("redis", embedded.redis_command(port, data_dir=var / "redis", appendonly=True), env),
                    wait=lambda: embedded.wait_for_redis(port),
                )
            env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
            log(f"Redis (inbäddad): {env['REDIS_URL']}")
        if not env.get("EMAIL_HOST"):
            mail_dir = var / "mail"
            for part in ("tmp", "new", "cur"):  # a Maildir: the SMTP sink stores each message here
                (mail_dir / part).mkdir(parents=True, exist_ok=True)
            env["EMAIL_HOST"], env["EMAIL_PORT"] = "127.0.0.1", env.get("EMAIL_PORT", "1025")
            smtp = [PY, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{env['EMAIL_PORT']}"]
            supervisor.add(Service("smtp", [*smtp, "-c", "aiosmtpd.handlers.Mailbox", str(mail_dir)], env))
            log(f"E-post sparas i {mail_dir}")

        manage = [PY, str(ROOT / "manage.py")]
        for step in (["migrate", "--no-input"], ["load_demo"], ["collectstatic", "--no-input", "-v", "0"]):
            subprocess.run([*manage, *step], env=env, check=True)  # noqa: S603

        bind = env.get("BIND", "127.0.0.1:8000")
        web = [PY, "-m", "gunicorn", "alingsas_ale.wsgi", "--bind", bind, "--workers", env.get("WEB_WORKERS", "3")]
        supervisor.add(Service("web", [*web, "--access-logfile", "-"], env))
        supervisor.add(Service("worker", embedded.celery_worker_command(PY, concurrency=2), env))
        beat = [PY, "-m", "celery", "-A", "alingsas_ale", "beat", "--loglevel", "INFO"]
        supervisor.add(Service("beat", [*beat, "--schedule", str(var / "run" / "celerybeat-schedule")], env))
        log(f"Systemet kör på http://{bind}/  (Ctrl-C stoppar allt)")
        supervisor.watch()
    except KeyboardInterrupt:
        log("Stoppar …")
    except (subprocess.CalledProcessError, OSError, RuntimeError) as error:
        log(f"Starten misslyckades: {error}. Stoppar det som hann starta.")
        exit_code = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop_all()
        if pg_server is not None:
            pg_server.cleanup()
        log("Allt stoppat.")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
