from django.urls import path

from . import views

app_name = "motions"

urlpatterns = [
    path("motioner/", views.motion_list, name="list"),
]
