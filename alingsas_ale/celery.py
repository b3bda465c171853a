import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")

app = Celery("alingsas_ale")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
