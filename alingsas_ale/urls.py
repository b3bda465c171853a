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
]
