"""The protocol's digest: SHA-256 over a canonical serialisation of what the protocol says.

Every signature stores the digest of exactly what its signer approved, and the protocol becomes
justerat only when all signatures carry the same digest (services.protocol_sign). The digest covers
the content the PDF shows (the meeting, the attendance, every § with its decision, yrkanden, votes
with each ballot, reservationer, jäv, and who justerar), not the signatures or the anslag, which are
added after the text is fixed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.db.models import Prefetch

from .models import AgendaItem, Ballot, Meeting


def protocol_content(meeting: Meeting) -> dict[str, Any]:
    """The protocol as plain data, in a fixed order, with names as the protocol prints them."""
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case")
        .prefetch_related(
            "yrkanden__mover",
            "reservations__person",
            "recusals__person",
            "recusals__substitute",
            Prefetch("votes__ballots", queryset=Ballot.objects.select_related("person").order_by("person_id")),
        )
        .order_by("ordering")
    )
    attendance = meeting.attendance.select_related("person", "serving_for", "from_item", "to_item").order_by("pk")
    return {
        "body": meeting.body_id,
        "starts_at": meeting.starts_at.astimezone(UTC).isoformat(),
        "place": meeting.place,
        "chair": meeting.chair_id,
        "secretary": meeting.secretary_id,
        "justering_place_time": meeting.justering_place_time,
        "chair_role": meeting.chair_role,
        "end_time": meeting.end_time.isoformat() if meeting.end_time else None,
        "adjournments": [[a.starts.isoformat(), a.ends.isoformat()] for a in meeting.adjournments.order_by("starts")],
        "attendance": [
            {
                "name": a.display_name,
                "party": a.party,
                "role": a.role_text,
                "kind": a.kind,
                "present": a.present,
                "serving_for": str(a.serving_for) if a.serving_for_id else None,
                "from": str(a.from_item.uuid) if a.from_item else None,
                "to": str(a.to_item.uuid) if a.to_item else None,
                "justerare": a.is_justerare,
            }
            for a in attendance
        ],
        "items": [
            {
                "paragraph": i.paragraph,
                "title": i.title,
                "case": i.case.diarienummer if i.case else None,
                "draft": i.draft_id,
                "decision": i.decision,
                "proposition_order": i.proposition_order,
                "notes": i.notes,
                "immediately_justerad": i.immediately_justerad,
                "dispatch": list(i.dispatch),
                "motion_outcome": i.motion_outcome,
                "secrecy": i.secrecy,
                "yrkanden": [[str(y.mover), y.text] for y in sorted(i.yrkanden.all(), key=lambda y: y.pk)],
                "votes": [
                    {
                        "yes_means": v.yes_means,
                        "no_means": v.no_means,
                        "result": v.result,
                        "ballots": [[str(b.person), b.party, b.choice] for b in v.ballots.all()],
                    }
                    for v in sorted(i.votes.all(), key=lambda v: v.pk)
                ],
                "reservations": [
                    [str(r.person), r.party, r.text] for r in sorted(i.reservations.all(), key=lambda r: r.pk)
                ],
                "jav": [
                    [str(r.person), str(r.substitute) if r.substitute_id else None]
                    for r in sorted(i.recusals.all(), key=lambda r: r.pk)
                ],
            }
            for i in items
        ],
    }


def protocol_digest(meeting: Meeting) -> str:
    """SHA-256 (hex) of the canonical JSON of :func:`protocol_content`."""
    canonical = json.dumps(protocol_content(meeting), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
