import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")

app = Celery("alingsas_ale")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_connections(sender=None, **kwargs):
    """What Django does at the start and end of each request, around each task.

    With CELERY_DB_REUSE_MAX set, Celery keeps connections between tasks and checks nothing; this
    closes one that is past CONN_MAX_AGE or that failed and is no longer usable (a database restart),
    and has the next use health-checked (CONN_HEALTH_CHECKS). Eager tasks run inside a caller's
    transaction and are left alone.
    """
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections as close

    close()
