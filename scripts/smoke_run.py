"""The README's first command, tried as a new user would: `scripts/run` in a clean virtualenv
built from requirements.txt alone, with its own data directory and ports.

It waits until the demo answers, signs in as a demo user, checks that every supervised process
is up, stops the system with SIGINT (as Ctrl-C does) and checks that nothing is left running.
Then it starts again against a database that does not answer and checks that the failed start
stops what it had started. Exit code 0 only if all of that held. Run by scripts/test.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMOKE = ROOT / "var" / "smoke"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def fail(message: str, proc: subprocess.Popen[bytes] | None = None) -> None:
    print(f"SMOKE FAILED: {message}", flush=True)
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    log = SMOKE / "run.log"
    if log.exists():
        print("---- scripts/run output (last 60 lines) ----")
        print("\n".join(log.read_text(errors="replace").splitlines()[-60:]))
    sys.exit(1)


def start(env: dict[str, str], log_name: str) -> subprocess.Popen[bytes]:
    handle = (SMOKE / log_name).open("wb")
    return subprocess.Popen(
        [str(ROOT / "scripts" / "run")],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # As a shell starts a background job: SIGINT ignored. Ctrl-C must still stop everything.
        preexec_fn=_ignore_sigint,  # noqa: PLW1509 - only sets a signal disposition
    )


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def sign_in(base: str, username: str, password: str) -> str:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    login_url = f"{base}/konto/logga-in/"
    page = opener.open(login_url, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        raise AssertionError("the login page has no CSRF token")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(login_url, data=data, headers={"Referer": login_url})  # noqa: S310
    return html.unescape(opener.open(request, timeout=10).read().decode())


def main() -> int:
    started = time.monotonic()
    if SMOKE.exists():
        shutil.rmtree(SMOKE)
    SMOKE.mkdir(parents=True)
    web_port, redis_port, smtp_port = free_port(), free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "DATABASE_OWNER_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_HOST", "VIRTUAL_ENV"}
    }
    env.update(
        {
            "VENV": str(SMOKE / "venv"),  # a virtualenv of its own, from requirements.txt alone
            "VAR_DIR": str(SMOKE / "var"),
            # Its own collectstatic output: the test processes beside it serve the clone's staticfiles.
            "STATIC_ROOT": str(SMOKE / "staticfiles"),
            "BIND": f"127.0.0.1:{web_port}",
            "WEB_WORKERS": "2",
            "EMBEDDED_REDIS_PORT": str(redis_port),
            "EMAIL_PORT": str(smtp_port),
            "SITE_URL": f"http://127.0.0.1:{web_port}",
        }
    )
    base = f"http://127.0.0.1:{web_port}"
    proc = start(env, "run.log")
    deadline = time.monotonic() + 900
    while True:
        if proc.poll() is not None:
            fail(f"scripts/run exited with {proc.returncode} before the demo answered")
        try:
            with urllib.request.urlopen(f"{base}/konto/logga-in/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            fail("the demo did not answer within 900 s", proc)
        time.sleep(1)
    print(f"smoke: the demo answered after {time.monotonic() - started:.0f} s (fresh virtualenv included)")

    landing = sign_in(base, "alingsas.sekreterare", "demo-2026")
    if "Karin Sekreterare" not in landing or "Logga ut" not in landing:
        fail("signing in as alingsas.sekreterare did not reach a signed-in page", proc)
    print("smoke: signed in as alingsas.sekreterare")

    status_file = SMOKE / "var" / "run" / "serve.json"
    status = json.loads(status_file.read_text())
    pids = {name: entry["pid"] for name, entry in status.items() if name != "supervisor"}
    expected = {"redis", "smtp", "web", "worker", "beat"}
    if set(pids) != expected or not all(pid and alive(pid) for pid in pids.values()):
        fail(f"not every process is up: {status}", proc)
    print("smoke: supervised and running:", ", ".join(sorted(pids)))

    # A crashed worker or web server is restarted; the rest of the system keeps running.
    for name in ("worker", "web"):
        os.kill(pids[name], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while True:
            now = json.loads(status_file.read_text())
            pid = now[name]["pid"]
            if pid and pid != pids[name] and alive(pid):
                break
            if time.monotonic() > deadline or proc.poll() is not None:
                fail(f"{name} was not restarted after SIGKILL: {now}", proc)
            time.sleep(0.25)
        others = [other for other in expected - {name} if not alive(now[other]["pid"])]
        if others:
            fail(f"killing {name} also stopped {others}", proc)
        pids = {key: entry["pid"] for key, entry in now.items() if key != "supervisor"}
    deadline = time.monotonic() + 30
    while True:
        try:
            if "Karin Sekreterare" in sign_in(base, "alingsas.sekreterare", "demo-2026"):
                break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            fail("the restarted web server did not answer within 30 s", proc)
        time.sleep(0.5)
    print("smoke: a SIGKILLed worker and web server were restarted; sign-in works again")

    pg_pid_file = SMOKE / "var" / "pg" / "postmaster.pid"
    pg_pid = int(pg_pid_file.read_text().split()[0])
    proc.send_signal(signal.SIGINT)  # what Ctrl-C does
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        fail("scripts/run did not stop within 60 s of SIGINT", proc)
    time.sleep(0.5)
    left = [name for name, pid in pids.items() if alive(pid)]
    if left or alive(pg_pid) or port_open(web_port) or port_open(redis_port) or port_open(smtp_port):
        fail(f"still running after Ctrl-C: {left or ''} postgres={alive(pg_pid)}")
    print("smoke: Ctrl-C stopped everything, PostgreSQL included")

    # A start that fails half-way (no database) stops what it had started.
    env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"
    # A database server needs a key of its own (alingsas_ale/security.py): give one, so the database fails.
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    failing = start(env, "failed-start.log")
    try:
        failing.wait(timeout=180)
    except subprocess.TimeoutExpired:
        fail("a start without a database did not give up within 180 s", failing)
    if failing.returncode == 0:
        fail("a start without a database exited 0")
    time.sleep(0.5)
    if port_open(redis_port) or port_open(smtp_port):
        fail("the failed start left Redis or the SMTP sink running")
    print("smoke: a failed start stopped the Redis and SMTP sink it had started")
    print(f"smoke: scripts/run passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
