from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("sammantraden/", views.meeting_list, name="list"),
    path("sammantraden/<uuid:meeting>/", views.meeting_detail, name="detail"),
    path("sammantraden/<uuid:meeting>/justera/", views.sign, name="sign"),
    path("sammantraden/<uuid:meeting>/paragrafer/<uuid:item>/", views.item_edit, name="item"),
    path("sammantraden/<uuid:meeting>/<slug:action>/", views.meeting_act, name="act"),
    path("<slug:municipality>/anslagstavla/", views.anslagstavla, name="anslagstavla"),
    path("<slug:municipality>/anslagstavla/<uuid:meeting>.pdf", views.anslag_pdf, name="anslag-pdf"),
]
