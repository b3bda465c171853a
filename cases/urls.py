from django.urls import path

from .views import diarium, remiss, work

app_name = "cases"

urlpatterns = [
    path("arenden/mina/", diarium.mine, name="mine"),
    path("diarium/", diarium.diarium, name="diarium"),
    path("arenden/registrera/", diarium.case_register, name="register"),
    path("arenden/<str:ref>/", diarium.case_detail, name="detail"),
    path("arenden/<str:ref>/handlingar/registrera/", diarium.document_register, name="document-register"),
    path("arenden/<str:ref>/handlingar/<uuid:document>/fil/", diarium.document_file, name="document-file"),
    path("arenden/<str:ref>/handlaggare/", diarium.case_assign, name="assign"),
    path("arenden/<str:ref>/remiss/", remiss.remiss_send, name="remiss-send"),
    path("remisser/<uuid:remiss>/besvara/", remiss.remiss_answer, name="remiss-answer"),
    path("remisser/<uuid:remiss>/aterkalla/", remiss.remiss_withdraw, name="remiss-withdraw"),
    path("remissbevakning/", remiss.board, name="board"),
    path("remissbevakning/atgard/", remiss.board_action, name="board-action"),
    path("kalender/<uuid:token>.ics", remiss.calendar_feed, name="calendar"),
    path("inkorg/", work.inbox, name="inbox"),
    path("inkorg/last/", work.inbox_mark_read, name="inbox-read"),
    path("pdf/<uuid:pdf>/status/", work.pdf_status, name="pdf-status"),
    path("pdf/<uuid:pdf>/", work.pdf_download, name="pdf"),
]
