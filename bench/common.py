"""Shared by the benchmarks: a fresh database of their own on the same server."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fresh_database(name: str) -> str:
    """Drop and create ``name`` on the server of DATABASE_URL (or the embedded one); return its URL."""
    import psycopg2

    from alingsas_ale import embedded

    base_url = os.environ.get("DATABASE_URL") or embedded.postgres_url()
    conn = psycopg2.connect(base_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {name}")
    conn.close()
    if "/postgres?" in base_url:
        return base_url.replace("/postgres?", f"/{name}?")
    return base_url.rsplit("/", 1)[0] + f"/{name}"
