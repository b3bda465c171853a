from django.urls import path

from . import views

app_name = "motions"

urlpatterns = [
    path("motioner/", views.motion_list, name="list"),
    path("motioner/registrera/", views.motion_register, name="register"),
    path("motioner/redovisning/", views.motion_report, name="report"),
    path("motioner/redovisning/pdf/", views.motion_report_pdf, name="report-pdf"),
    path("motioner/<str:ref>/", views.motion_detail, name="detail"),
    path("motioner/<str:ref>/<slug:action>/", views.motion_act, name="act"),
]
