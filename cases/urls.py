from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("arenden/mina/", views.mine, name="mine"),
    path("diarium/", views.diarium, name="diarium"),
    path("arenden/registrera/", views.case_register, name="register"),
    path("arenden/<str:ref>/", views.case_detail, name="detail"),
    path("arenden/<str:ref>/handlingar/registrera/", views.document_register, name="document-register"),
    path("arenden/<str:ref>/handlingar/<uuid:document>/fil/", views.document_file, name="document-file"),
]
