from django.urls import path

from . import views, views_numbering, views_standing

app_name = "administration"

urlpatterns = [
    path("administration/", views.overview, name="overview"),
    path("administration/organ/nytt/", views.body_new, name="body-new"),
    path("administration/organ/<str:short_name>/", views.body_detail, name="body"),
    path("administration/organ/<str:short_name>/andra/", views.body_edit, name="body-edit"),
    path(
        "administration/organ/<str:short_name>/staende-punkter/",
        views_standing.body_standing_items,
        name="body-standing",
    ),
    path("administration/organ/<str:short_name>/uppdrag/", views.seat_add, name="seat-add"),
    path("administration/organ/<str:short_name>/uppdrag/avsluta/", views.seat_end, name="seat-end"),
    path("administration/organ/<str:short_name>/importera/", views.seats_import, name="seats-import"),
    path("administration/personer/", views.people, name="people"),
    path("administration/anvandare/", views.users, name="users"),
    path("administration/anvandare/ny/", views.user_new, name="user-new"),
    path("administration/anvandare/<str:username>/", views.user_edit, name="user"),
    path("administration/mandatperioder/", views.periods, name="periods"),
    path("administration/logg/", views.log, name="log"),
    path("administration/paragrafnummer/", views_numbering.numbering_settings, name="numbering"),
]
