"""The <option>s of a municipality's handläggare, written once and kept in the shared cache.

The diarium's handläggare filter and the case page's "Tilldela handläggare" list every official and
head of the municipality: 2,000 of them in a large one, a query and about 10 ms of Python on every
page view (bench/pages.py). The markup is kept in the cache (Redis, shared by every web process)
under a version per municipality, and a user's save or deletion moves the version on once its
transaction commits, so a list is never served after the change that alters it (a reader that
wrote the old list under the old version is not read again). Nothing else writes users: no bulk
update of users exists in the code. A list written inside a transaction that saved a user and then
rolled back would be kept under the new version; no view does both. Should the cache be away, the
list is written from the database as before.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from alingsas_ale.forms import options_markup

from .models import User

logger = logging.getLogger(__name__)

# What the option's label and order depend on; a save that touches none of them (a sign-in's
# last_login) leaves the lists as they are.
SHOWN = frozenset({"first_name", "last_name", "username", "roles", "is_active", "municipality"})
LIFETIME = 24 * 60 * 60


# One version for every municipality: a user moved between municipalities changes two lists, and
# users change seldom.
VERSION_KEY = "user-options:version"


def options_html(users: QuerySet[User]) -> str:
    """``<option value="id">Förnamn Efternamn</option>`` for each of ``users`` (by name), from the
    cache when it is there. The key is the queryset's own SQL (its municipality included): the same
    SQL, the same users."""
    rows = users.order_by("last_name", "first_name").values_list("pk", "first_name", "last_name", "username")
    try:
        version = cache.get_or_set(VERSION_KEY, 1, None)
        key = f"user-options:{version}:{hashlib.sha256(str(rows.query).encode()).hexdigest()}"
        found = cache.get(key)
    except Exception as error:  # noqa: BLE001 - the cache is a shortcut: without it, the database
        logger.warning("user options: cache unavailable (%s)", error)
        return _written(rows)
    if found is None:
        found = _written(rows)
        try:
            cache.set(key, found, LIFETIME)
        except Exception as error:  # noqa: BLE001
            logger.warning("user options: cache unavailable (%s)", error)
    return found


def _written(rows: QuerySet[Any]) -> str:
    return options_markup((pk, f"{first} {last}".strip() or name) for pk, first, last, name in rows)


def _move_on() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        pass  # no version yet: no list was cached
    except Exception as error:  # noqa: BLE001
        # The cache is away: what it held goes when it comes back empty (a restarted Redis) or after
        # LIFETIME. Said in the log, so an operator knows.
        logger.warning("user options: version not moved on (%s)", error)


@receiver(post_save, sender=User, dispatch_uid="user_options_saved")
def _user_saved(sender: type[User], instance: User, created: bool, update_fields: frozenset[str] | None, **kwargs):  # noqa: ANN003, ANN202
    if created or update_fields is None or SHOWN & set(update_fields):
        transaction.on_commit(_move_on)


@receiver(post_delete, sender=User, dispatch_uid="user_options_deleted")
def _user_deleted(sender: type[User], instance: User, **kwargs):  # noqa: ANN003, ANN202
    transaction.on_commit(_move_on)
