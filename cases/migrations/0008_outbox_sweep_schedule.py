from django.db import migrations


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="seconds")
    PeriodicTask.objects.get_or_create(
        name="Utkorgen: skicka om uppgifter som inte blivit klara",
        defaults={"task": "cases.tasks.outbox_sweep", "interval": every},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="cases.tasks.outbox_sweep").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_outbox_and_visible_failures"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
