"""The reference for bench/pages.py: this application's settings and middleware, one bare view."""

from alingsas_ale.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
