from django.urls import path

from . import views

app_name = "motions"

urlpatterns = [
    path("motioner/", views.motion_list, name="list"),
    path("motioner/registrera/", views.motion_register, name="register"),
    path("motioner/redovisning/", views.motion_report, name="report"),
    path("motioner/redovisning/pdf/", views.motion_report_pdf, name="report-pdf"),
    path("motioner/<str:ref>/", views.motion_detail, name="detail"),
    # One view per step, on the paths the old `<slug:action>/` dispatcher answered.
    path("motioner/<str:ref>/refer/", views.motion_refer, name="refer"),
    path("motioner/<str:ref>/prepared/", views.motion_mark_prepared, name="prepare"),
    path("motioner/<str:ref>/note/", views.motion_note_preparation, name="note"),
    path("motioner/<str:ref>/decide/", views.motion_decide, name="decide"),
]
