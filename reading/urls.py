from django.urls import path

from . import absence_views, package_views, search_views, views, views_notes

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
    path(MEETING + "anteckningar/", views_notes.notes, name="notes"),
    path(MEETING + "anteckningar/sammanstallning/", views_notes.notes_summary, name="notes-summary"),
    path(MEETING + "anteckningar/<uuid:note>/", views_notes.note_save_view, name="note-save"),
    path(MEETING + "anteckningar/<uuid:note>/ta-bort/", views_notes.note_delete_view, name="note-delete"),
    path(MEETING + "offline/", views_notes.offline_package, name="offline-package"),
    path("sw.js", views_notes.service_worker, name="service-worker"),
    path("lasesal/kalender/<uuid:token>.ics", views.calendar_feed, name="calendar"),
]
