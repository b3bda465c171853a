from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from cases.views.diarium import home


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers and feed readers ask for /favicon.ico whatever the page names (base.html names the
    reading room's icon): the same icon, by its hashed static address, instead of a 404 in the log."""
    response = HttpResponseRedirect(static("reading/icon-192.png"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", favicon),
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
