"""An invitation link and what became of it. A link is pending until it is used (accepted),
runs out (expired), is withdrawn (revoked) or is swapped for a fresh one (replaced)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

LIFETIME = timedelta(days=7)  # long enough for a freelancer abroad, short enough to go stale


class InvitationState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REPLACED = "replaced"


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    blog_id: int
    blog_slug: str
    blog_title: str
    timezone: str  # the blog's: dates on the invitation page are in the newsroom's zone
    user_id: int
    name: str  # the person invited
    inviter_id: int | None
    inviter: str | None  # None only for links made before invitations were kept
    role: str
    sent_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    replaced_by: int | None

    def state(self, now: datetime) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.replaced_by is not None:
            return InvitationState.REPLACED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    def to_json(self, now: datetime) -> dict[str, Any]:
        """What the team page and API clients see: never the link (only its digest is
        kept), so a pending link is copied again by issuing a new one."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "invited_by": self.inviter,
            "state": self.state(now).value,
            "sent_at": self.sent_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "accepted_at": self.accepted_at.isoformat() if self.accepted_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }
