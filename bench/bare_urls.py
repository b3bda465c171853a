"""One view as a bare Django app would write it: 25 rows of the cases table, newest first."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.urls import path

PAGE = Template(
    "<!doctype html><html lang='sv'><title>Lista</title><table>"
    "{% for id, number, title in rows %}<tr><td>{{ number }}</td><td>{{ title }}</td></tr>{% endfor %}"
    "</table></html>"
)


def rows(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT id, diarienummer, title FROM cases_case ORDER BY id DESC LIMIT 25")
        return HttpResponse(PAGE.render(Context({"rows": cur.fetchall()})))


urlpatterns = [path("", rows), path("konto/logga-in/", rows)]
