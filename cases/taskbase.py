"""One base for every Celery task: tenant scope, expected errors, one retry policy, a visible end.

A task names the model its primary key belongs to (``model=Remiss``); the base finds the row's
municipality and runs the task body inside that scope (``run_in_tenant``). Tasks without a model
run per municipality through ``self.municipalities()``. Transient errors (database, broker,
SMTP/network) are retried with exponential backoff and jitter up to ``TASK_MAX_RETRIES``; any other
error, or the last retry, ends in the task's ``give_up`` hook, which leaves a visible failed state
on the object (a remiss *kunde inte skickas*, a PDF *misslyckades*, an e-mail marked failed) and
tells the person responsible. A task started from the outbox marks its row done in the same
transaction as its work (cases/outbox.py).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from typing import Any

import kombu.exceptions
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils.module_loading import import_string

from audit.context import Actor, acting

from .models import Municipality, TenantModel, each_municipality, run_in_tenant
from .services.diarium import CaseError

logger = logging.getLogger(__name__)

OUTBOX_KWARG = "outbox_id"
# The person the task works for (the outbox row's on_behalf_of_id): the audit log records the
# system as acting on their behalf ("Systemet, på uppdrag av …").
ON_BEHALF_KWARG = "on_behalf_of"

# Transient: worth trying again later. OSError covers SMTP (smtplib errors), refused connections
# and timeouts; kombu's OperationalError a broker that cannot be reached.
RETRY_FOR: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    kombu.exceptions.OperationalError,
    OSError,
)


def retry_countdown(retries: int) -> float:
    """Exponential backoff (2, 4, 8 … s, at most ``TASK_RETRY_BACKOFF_MAX``) with equal jitter."""
    ceiling = min(float(settings.TASK_RETRY_BACKOFF_MAX), 2.0 * 2**retries)
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not cryptography


def failure_reason(exc: BaseException) -> str:
    """What the user is shown: a business rule's own Swedish message, otherwise the error itself."""
    if isinstance(exc, CaseError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}".strip()[:500]


class TenantTask(DjangoTask):
    """Base of every task in the project (``@shared_task(base=TenantTask, model=…)``)."""

    #: The model whose primary key is the task's first argument; None for per-municipality work.
    model: type[TenantModel] | None = None
    #: Dotted path of ``f(pk, reason)`` run in the tenant scope when the task finally fails.
    give_up: str = ""
    #: Dotted path of ``f(pk)`` run when the task was committed but could not be queued.
    queue_unavailable: str = ""
    #: Expected errors: logged without a traceback, and the task gives up at once.
    throws: tuple[type[BaseException], ...] = (CaseError,)
    retry_for: tuple[type[BaseException], ...] = RETRY_FOR
    # The outbox passes its row id as a keyword the task body never sees (popped in __call__).
    typing = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        outbox_id = kwargs.pop(OUTBOX_KWARG, None)
        with acting(Actor(user_id=None, on_behalf_of_id=kwargs.pop(ON_BEHALF_KWARG, None))):
            return self._call_once(outbox_id, args, kwargs)

    def _call_once(self, outbox_id: int | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        try:
            # From the outbox: the row is marked done in the transaction that does the work.
            with transaction.atomic() if outbox_id else nullcontext():
                result = self._run_in_scope(args, kwargs)
                if outbox_id:
                    from .outbox import outbox_done

                    outbox_done(outbox_id)
            return result
        except self.retry_for as exc:
            retries = self.request.retries
            if retries >= settings.TASK_MAX_RETRIES or self.request.is_eager:
                raise
            countdown = retry_countdown(retries)
            if outbox_id:
                from .outbox import outbox_postpone

                outbox_postpone(outbox_id, seconds=countdown, error=failure_reason(exc))
            logger.warning("%s%s: %s; retry %s in %.1f s", self.name, args, exc, retries + 1, countdown)
            raise self.retry(exc=exc, countdown=countdown, max_retries=settings.TASK_MAX_RETRIES) from exc

    def _run_in_scope(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if self.model is None:
            return super().__call__(*args, **kwargs)
        return run_in_tenant(self.model, args[0], lambda _pk: super(TenantTask, self).__call__(*args, **kwargs))

    def municipalities(self) -> Iterator[Municipality]:
        """For periodic work: each municipality in turn, its scope active."""
        return each_municipality()

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """The last retry failed, or an error that retrying cannot mend: leave a visible state."""
        pk = args[0] if self.model is not None and args else None
        with acting(Actor(user_id=None, on_behalf_of_id=kwargs.get(ON_BEHALF_KWARG))):
            self.give_up_on(pk, failure_reason(exc), kwargs.get(OUTBOX_KWARG))

    def give_up_on(self, pk: int | None, reason: str, outbox_id: int | None) -> None:
        try:
            with transaction.atomic():
                if outbox_id:
                    from .outbox import outbox_failed

                    outbox_failed(outbox_id, error=reason)
                if self.give_up and self.model is not None and pk is not None:
                    hook: Callable[[int, str], object] = import_string(self.give_up)
                    run_in_tenant(self.model, pk, lambda _pk: hook(_pk, reason))
        except DatabaseError:
            # The database is away too: the outbox row stays open and the sweep tries again later.
            logger.exception("%s(%s): could not record the failure (%s)", self.name, pk, reason)

    def on_queue_unavailable(self, pk: int) -> None:
        if self.queue_unavailable and self.model is not None:
            hook: Callable[[int], object] = import_string(self.queue_unavailable)
            run_in_tenant(self.model, pk, hook)
