from typing import Any

from django.core.management.base import BaseCommand

from alingsas_ale.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo municipalities (Alingsås, Ale), their users and the seed cases. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo()
        if created:
            self.stdout.write(self.style.SUCCESS("Demodata skapad: " + ", ".join(created)))
        else:
            self.stdout.write("Demodata finns redan; inget ändrat.")
