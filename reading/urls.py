from django.urls import path

from . import views

app_name = "reading"

MEETING = "lasesal/<uuid:meeting>/"
ITEM = MEETING + "<uuid:item>/"

urlpatterns = [
    path("lasesal/", views.home, name="home"),
    path(MEETING, views.meeting, name="meeting"),
    path(ITEM, views.item, name="item"),
    path(ITEM + "handlingar/<uuid:document>/", views.document_inline, name="document"),
    path("lasesal/kalender/<uuid:token>.ics", views.calendar_feed, name="calendar"),
]
