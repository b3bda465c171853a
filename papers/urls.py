from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    path("arenden/<str:ref>/utlatanden/nytt/", views.draft_new, name="new"),
    path("arenden/<str:ref>/forslag-till-beslut/", views.proposals, name="proposals"),
    path("utlatanden/<uuid:draft>/", views.draft_review, name="review"),
    path("utlatanden/<uuid:draft>/redigera/", views.draft_edit, name="edit"),
    path("utlatanden/<uuid:draft>/historik/", views.draft_history, name="history"),
    path("utlatanden/<uuid:draft>/sammanfoga/<int:refused>/", views.draft_merge, name="merge"),
    path("utlatanden/<uuid:draft>/<slug:action>/", views.draft_action, name="action"),
]
