from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases.views.diarium import home

urlpatterns = [
    path("", home, name="home"),
    path("konto/logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    path("", include("motions.urls")),
    path("", include("papers.urls")),
    path("", include("meetings.urls")),
    path("", include("administration.urls")),
    path("", include("reading.urls")),
    path("", include("signin.urls")),
    path("", include("audit.urls")),
]

# Swedish error pages in the site's layout (alingsas_ale/errors.py).
handler400 = "alingsas_ale.errors.bad_request"
handler403 = "alingsas_ale.errors.permission_denied"
handler404 = "alingsas_ale.errors.page_not_found"
handler500 = "alingsas_ale.errors.server_error"
