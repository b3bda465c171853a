from django.urls import path

from . import views, views_notes

app_name = "reading"

MEETING = "lasesal/<uuid:meeting>/"
ITEM = MEETING + "<uuid:item>/"

urlpatterns = [
    path("lasesal/", views.home, name="home"),
    path(MEETING, views.meeting, name="meeting"),
    path(ITEM, views.item, name="item"),
    path(ITEM + "handlingar/<uuid:document>/", views.document_inline, name="document"),
    path(MEETING + "anteckningar/", views_notes.notes, name="notes"),
    path(MEETING + "anteckningar/sammanstallning/", views_notes.notes_summary, name="notes-summary"),
    path(MEETING + "anteckningar/<uuid:note>/", views_notes.note_save_view, name="note-save"),
    path(MEETING + "anteckningar/<uuid:note>/ta-bort/", views_notes.note_delete_view, name="note-delete"),
    path(MEETING + "offline/", views_notes.offline_package, name="offline-package"),
    path("sw.js", views_notes.service_worker, name="service-worker"),
    path("lasesal/kalender/<uuid:token>.ics", views.calendar_feed, name="calendar"),
]
