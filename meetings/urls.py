from django.urls import path

from . import views, views_agenda, views_attendance, views_minutes, views_motion_report, views_protocol

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
    path("sammantraden/motionsredovisning/", views_motion_report.motion_report_agenda, name="motion-report-agenda"),
    path(MEETING + "foredragningslista/", views_agenda.agenda_page, name="agenda"),
    path(MEETING + "add/", views_agenda.agenda_add, name="agenda-add"),
    path(MEETING + "add-case/", views_agenda.agenda_add_case, name="agenda-add-case"),
    path(MEETING + "ny-punkt/", views_agenda.agenda_add_free, name="agenda-add-free"),
    path(MEETING + "staende-punkt/", views_agenda.agenda_add_standing, name="agenda-add-standing"),
    path(MEETING + "up/", views_agenda.agenda_move_up, name="agenda-up"),
    path(MEETING + "down/", views_agenda.agenda_move_down, name="agenda-down"),
    path(MEETING + "flytta-punkt/", views_agenda.agenda_move_to, name="agenda-move-to"),
    path(MEETING + "ta-bort-punkt/", views_agenda.agenda_remove, name="agenda-remove"),
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
    path(ITEM, views_minutes.item_edit, name="item"),
    path(ITEM + "dagordning/", views_agenda.agenda_item_edit, name="agenda-item"),
    path(ITEM + "spara/", views_minutes.item_save, name="item-save"),
    path(ITEM + "yrkande/", views_minutes.floor_motion_add, name="item-yrkande"),
    path(ITEM + "yrkande/andra/", views_minutes.floor_motion_edit, name="item-yrkande-edit"),
    path(ITEM + "yrkande/ta-bort/", views_minutes.floor_motion_remove, name="item-yrkande-remove"),
    path(ITEM + "omrostning/", views_minutes.vote_record, name="item-vote"),
    path(ITEM + "omrostning/andra/", views_minutes.vote_edit, name="item-vote-edit"),
    path(ITEM + "omrostning/ta-bort/", views_minutes.vote_remove, name="item-vote-remove"),
    path(ITEM + "reservation/", views_minutes.reservation_add, name="item-reservation"),
    path(ITEM + "reservation/ta-bort/", views_minutes.reservation_remove, name="item-reservation-remove"),
    path(ITEM + "jav/", views_minutes.recusal_add, name="item-jav"),
    path(ITEM + "jav/ta-bort/", views_minutes.recusal_remove, name="item-jav-remove"),
    path(MEETING + "anslag/", views_protocol.anslag_publish, name="anslag-publish"),
    path(ITEM + "justera-omedelbart/", views_protocol.extract_send, name="extract-send"),
    path(ITEM + "utdrag/", views_protocol.extract_page, name="extract"),
    path(ITEM + "utdrag/justera/", views_protocol.extract_sign, name="extract-sign"),
    path("sammantraden/i-efterhand/", views_protocol.historic_enter, name="historic"),
    path("<slug:municipality>/anslagstavla/", views_protocol.anslagstavla, name="anslagstavla"),
    path("<slug:municipality>/anslagstavla/<uuid:meeting>.pdf", views_protocol.anslag_pdf, name="anslag-pdf"),
]
