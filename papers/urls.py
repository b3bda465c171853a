from django.urls import path

from . import desk_views, views

app_name = "papers"

urlpatterns = [
    path("arenden/<str:ref>/utlatanden/nytt/", views.draft_new, name="new"),
    path("arenden/<str:ref>/forslag-till-beslut/", views.proposals, name="proposals"),
    path("utlatanden/<uuid:draft>/", views.draft_review, name="review"),
    path("utlatanden/<uuid:draft>/redigera/", views.draft_edit, name="edit"),
    path("utlatanden/<uuid:draft>/historik/", views.draft_history, name="history"),
    path("utlatanden/<uuid:draft>/sammanfoga/<int:refused>/", views.draft_merge, name="merge"),
    # One view per action; the paths are those of the former <action>/ dispatch, so old links work.
    path("utlatanden/<uuid:draft>/submit/", views.draft_submit, name="submit"),
    path("utlatanden/<uuid:draft>/approve/", views.draft_approve, name="approve"),
    path("utlatanden/<uuid:draft>/return/", views.draft_return, name="return"),
    path("utlatanden/<uuid:draft>/reopen/", views.draft_reopen, name="reopen"),
    path("utlatanden/<uuid:draft>/pdf/", views.draft_pdf, name="pdf"),
    path("utlatanden/<uuid:draft>/forhandsgranska/", desk_views.draft_preview, name="preview"),
    path("utlatanden/<uuid:draft>/kommentera/", desk_views.draft_comment, name="comment-add"),
    path("kommentarer/<uuid:comment>/atgardad/", desk_views.comment_resolved, name="comment-resolve"),
]
