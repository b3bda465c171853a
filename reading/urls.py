from django.urls import path

from . import absence_views, package_views, search_views, views

app_name = "reading"

MEETING = "lasesal/<uuid:meeting>/"
ITEM = MEETING + "<uuid:item>/"

urlpatterns = [
    path("lasesal/", views.home, name="home"),
    path(MEETING, views.meeting, name="meeting"),
    path(ITEM, views.item, name="item"),
    path(ITEM + "handlingar/<uuid:document>/", views.document_inline, name="document"),
    path("lasesal/sok/", search_views.search, name="search"),
    path(MEETING + "paket/", package_views.package, name="package"),
    path(MEETING + "paket/<uuid:package>.pdf", package_views.package_file, name="package-file"),
    path(MEETING + "forhinder/", absence_views.report, name="absence-report"),
    path(MEETING + "forhinder/alla/", absence_views.absences, name="absences"),
    path(MEETING + "forhinder/<uuid:absence>/kalla-in/", absence_views.call_substitute, name="absence-call"),
    path("lasesal/kalender/<uuid:token>.ics", views.calendar_feed, name="calendar"),
]
