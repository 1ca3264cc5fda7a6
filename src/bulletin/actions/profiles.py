"""A person's byline (display role and photo), set by that person on their account page or
through the API. Only one's own: nobody edits a colleague's byline."""

from __future__ import annotations

from typing import Any

from bulletin.actions.newsroom import Newsroom, audit
from bulletin.domain.errors import NotAuthenticated, ValidationError
from bulletin.domain.profile import AVATAR_SIZE, Profile, validate_title
from bulletin.domain.roles import Actor
from bulletin.media.photos import store_photo
from bulletin.settings import Settings
from bulletin.store import users as user_rows

PROFILE_FIELDS = ("title", "photo")


async def _own(nr: Newsroom, actor: Actor) -> Profile:
    async with nr.db.read() as conn:
        found = await user_rows.profile(conn, actor.id)
    if found is None:  # the account was removed while a token or session still pointed at it
        raise NotAuthenticated("This account does not exist any more.")
    return found


async def profile(nr: Newsroom, actor: Actor) -> Profile:
    return await _own(nr, actor)


async def update_profile(nr: Newsroom, actor: Actor, raw: object) -> Profile:
    """Change the byline's role text, and/or drop the photo (`"photo": null`)."""
    if not isinstance(raw, dict) or not raw or set(raw) - set(PROFILE_FIELDS):
        raise ValidationError("Send a JSON object with 'title' (your role in bylines, such as "
                              "\"Political correspondent\") and/or 'photo': null to remove "
                              "your photo. Upload a photo with PUT /api/v1/account/photo.")
    values: dict[str, Any] = {}
    if "title" in raw:
        values["title"] = validate_title(raw["title"])
    if "photo" in raw:
        if raw["photo"] is not None:
            raise ValidationError("'photo' can only be null here (remove the photo); upload "
                                  "a new one with PUT /api/v1/account/photo.", field="photo")
        values["photo_url"] = None
    await _own(nr, actor)
    async with nr.db.transaction() as conn:
        await user_rows.set_profile(conn, actor.id, values)
        await audit(conn, actor, None, "user.profile", nr.now(),
                    detail=", ".join(sorted(values)))
        changed = await user_rows.profile(conn, actor.id)
    assert changed is not None
    return changed


async def set_photo(nr: Newsroom, settings: Settings, actor: Actor, data: bytes) -> Profile:
    """Take a byline photo through the photo intake (metadata stripped, the centre square,
    small): refused with a message a person can act on if it is not a usable image."""
    await _own(nr, actor)
    photo = await store_photo(settings, data, square=AVATAR_SIZE)
    async with nr.db.transaction() as conn:
        await user_rows.set_profile(conn, actor.id, {"photo_url": photo.url})
        await audit(conn, actor, None, "user.photo", nr.now(), detail=photo.id)
        changed = await user_rows.profile(conn, actor.id)
    assert changed is not None
    return changed
