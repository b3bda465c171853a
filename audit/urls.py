from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("granskning/", views.log, name="log"),
    path("granskning/export.csv", views.export, name="export"),
    path("granskning/rad/<int:number>/", views.entry, name="entry"),
]
