"""The project's URLs and one view without any permission check, for the permission matrix's negative
control (tests/test_permission_matrix.py): the matrix must notice it."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from alingsas_ale.urls import urlpatterns as project_urlpatterns


def opened_case(request: HttpRequest, ref: str) -> HttpResponse:
    return HttpResponse(f"Ärende {ref}")


urlpatterns = [*project_urlpatterns, path("oppet/<str:ref>/", opened_case, name="opened-case")]
