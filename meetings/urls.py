from django.urls import path

from . import views, views_attendance, views_protocol

app_name = "meetings"

# Each action has its own view and name; the paths are the ones the old `<slug:action>/` dispatcher
# answered (call, add, add-case, up, down, attendance, close, pdf, correct, sign), so nothing
# bookmarked or cached in a browser breaks.
MEETING = "sammantraden/<uuid:meeting>/"
ITEM = MEETING + "paragrafer/<uuid:item>/"

urlpatterns = [
    path("sammantraden/", views.meeting_list, name="list"),
    path("sammantraden/nytt/", views.meeting_create, name="create"),
    path(MEETING, views.meeting_detail, name="detail"),
    path(MEETING + "call/", views.meeting_call, name="call"),
    path(MEETING + "add/", views.agenda_add, name="agenda-add"),
    path(MEETING + "add-case/", views.agenda_add_case, name="agenda-add-case"),
    path(MEETING + "up/", views.agenda_move_up, name="agenda-up"),
    path(MEETING + "down/", views.agenda_move_down, name="agenda-down"),
    path(MEETING + "attendance/", views_attendance.attendance_save, name="attendance"),
    path(MEETING + "narvaro/", views_attendance.attendance_page, name="attendance-page"),
    path(MEETING + "narvaro/ovriga/", views_attendance.other_add, name="attendance-other-add"),
    path(MEETING + "narvaro/ovriga/ta-bort/", views_attendance.other_remove, name="attendance-other-remove"),
    path(MEETING + "narvaro/ajournering/", views_attendance.adjournment_add, name="adjournment-add"),
    path(MEETING + "narvaro/ajournering/ta-bort/", views_attendance.adjournment_remove, name="adjournment-remove"),
    path(MEETING + "narvaro/ordforande/", views_attendance.conduct_save, name="conduct"),
    path(MEETING + "narvaro/kallade/", views_attendance.called_sync, name="called-sync"),
    path(MEETING + "flytta/", views_attendance.meeting_move, name="move"),
    path(MEETING + "installa/", views_attendance.meeting_cancel, name="cancel"),
    path(MEETING + "close/", views.protocol_close, name="close"),
    path(MEETING + "ta-tillbaka/", views.protocol_withdraw, name="withdraw"),
    path(MEETING + "kungorelse-skal/", views.kungorelse_exception, name="kungorelse-exception"),
    path(MEETING + "pdf/", views.protocol_pdf, name="pdf"),
    path(MEETING + "correct/", views.correction_add, name="correct"),
    path(MEETING + "justera/", views.sign, name="sign"),
    path(MEETING + "sign/", views.protocol_sign, name="approve"),
    path(ITEM, views.item_edit, name="item"),
    path(ITEM + "spara/", views.item_save, name="item-save"),
    path(ITEM + "yrkande/", views.floor_motion_add, name="item-yrkande"),
    path(ITEM + "omrostning/", views.vote_record, name="item-vote"),
    path(ITEM + "reservation/", views.reservation_add, name="item-reservation"),
    path(ITEM + "jav/", views.recusal_add, name="item-jav"),
    path(MEETING + "anslag/", views_protocol.anslag_publish, name="anslag-publish"),
    path(ITEM + "justera-omedelbart/", views_protocol.extract_send, name="extract-send"),
    path(ITEM + "utdrag/", views_protocol.extract_page, name="extract"),
    path(ITEM + "utdrag/justera/", views_protocol.extract_sign, name="extract-sign"),
    path("sammantraden/i-efterhand/", views_protocol.historic_enter, name="historic"),
    path("<slug:municipality>/anslagstavla/", views_protocol.anslagstavla, name="anslagstavla"),
    path("<slug:municipality>/anslagstavla/<uuid:meeting>.pdf", views_protocol.anslag_pdf, name="anslag-pdf"),
]
