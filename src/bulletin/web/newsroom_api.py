"""The newsroom's JSON API: drafts and the approval queue, scheduling, revisions, the audit
log, colleagues and tokens, the live preview, and the newsroom-only change feed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from bulletin.actions import accounts, drafts, profiles
from bulletin.actions import posts as post_actions
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import Newsroom, as_member, blog_or_404, post_or_404
from bulletin.domain.blocks import block_to_dict
from bulletin.domain.errors import BulletinError, NotFound, ValidationError
from bulletin.domain.post import Post, PostStatus, parse_draft, parse_version
from bulletin.domain.roles import Actor, Permission
from bulletin.render.payload import post_html, post_json
from bulletin.render.sanitize import sanitize_html
from bulletin.store import events as event_rows
from bulletin.store import history
from bulletin.store import users as user_rows
from bulletin.store.posts import decode_blocks
from bulletin.web.api import MAX_ID
from bulletin.web.api import PostId as Id  # 1..2**31-1: the store's integers
from bulletin.web.requests import actor, json_body, newsroom

router = APIRouter(prefix="/api/v1", tags=["newsroom"])
Who = Annotated[Actor, Depends(actor)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
InvitationId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _post(post: Post, blog: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(post_json(post, blog), status_code=status,
                        headers={"ETag": f'"{post.version}"'})


async def _member(nr: Newsroom, who: Actor, slug: str, permission: Permission
                  ) -> tuple[Any, Actor]:
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        member = await as_member(conn, who, blog)
    member.require(permission)
    return blog, member


def _body(raw: object, *keys: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or set(raw) - set(keys):
        raise ValidationError(f"Send a JSON object with: {', '.join(keys)}.")
    return raw


@router.get("/me", summary="Who am I")
async def me(who: Who) -> dict[str, Any]:
    return {"id": who.id, "name": who.name, "role": who.role.value if who.role else None}


@router.get("/blogs/{slug}/me", summary="My role and permissions on this blog")
async def my_role(request: Request, slug: str, who: Who) -> dict[str, Any]:
    nr = newsroom(request)
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        member = await as_member(conn, who, blog)
    return {"id": member.id, "name": member.name,
            "role": member.role.value if member.role else None,
            "permissions": sorted(p.name.lower() for p in Permission if member.can(p))}


@router.get("/blogs/{slug}/drafts", summary="Drafts, the approval queue and scheduled posts")
async def list_drafts(request: Request, slug: str, who: Who) -> dict[str, Any]:
    blog, posts = await drafts.newsroom_posts(newsroom(request), who, slug)
    return {"posts": [post_json(p, blog) for p in posts]}


@router.post("/blogs/{slug}/drafts", status_code=201, summary="Start a draft")
async def create_draft(request: Request, slug: str, who: Who) -> JSONResponse:
    nr = newsroom(request)
    post = await drafts.save_draft(nr, who, slug, await json_body(request))
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
    return _post(post, blog, 201)


@router.patch("/blogs/{slug}/drafts/{post_id}", summary="Save a draft (autosave)")
async def save_draft(request: Request, slug: str, post_id: Id, who: Who,
                     if_match: IfMatch = None) -> JSONResponse:
    nr = newsroom(request)
    post = await drafts.save_draft(nr, who, slug, await json_body(request), post_id=post_id,
                                   expected_version=parse_version(if_match))
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
    return _post(post, blog)


@router.delete("/blogs/{slug}/drafts/{post_id}", status_code=204, summary="Discard a draft")
async def discard_draft(request: Request, slug: str, post_id: Id, who: Who) -> Response:
    await drafts.discard(newsroom(request), who, slug, post_id)
    return Response(status_code=204)


async def _step(request: Request, slug: str, post: Post) -> JSONResponse:
    async with newsroom(request).db.read() as conn:
        blog = await blog_or_404(conn, slug)
    return _post(post, blog)


@router.post("/blogs/{slug}/drafts/{post_id}/submit", summary="Submit for approval")
async def submit(request: Request, slug: str, post_id: Id, who: Who) -> JSONResponse:
    return await _step(request, slug, await drafts.submit(newsroom(request), who, slug,
                                                          post_id))


@router.post("/blogs/{slug}/drafts/{post_id}/approve", summary="Approve and publish now")
async def approve(request: Request, slug: str, post_id: Id, who: Who,
                  if_match: IfMatch = None) -> JSONResponse:
    body = _body(await json_body(request, optional=True), "pinned")
    pin = body.get("pinned", False)
    if not isinstance(pin, bool):
        raise ValidationError("pinned must be true or false.", field="pinned")
    post = await drafts.approve(newsroom(request), who, slug, post_id, pin=pin,
                                expected_version=parse_version(if_match))
    return await _step(request, slug, post)


@router.post("/blogs/{slug}/drafts/{post_id}/return", summary="Send back with a note")
async def send_back(request: Request, slug: str, post_id: Id, who: Who) -> JSONResponse:
    body = _body(await json_body(request), "note")
    post = await drafts.send_back(newsroom(request), who, slug, post_id, body.get("note"))
    return await _step(request, slug, post)


@router.put("/blogs/{slug}/drafts/{post_id}/schedule", summary="Schedule for a time: "
            "publish_at with its offset, or a wall-clock publish_at and the timezone to read "
            "it in")
async def schedule(request: Request, slug: str, post_id: Id, who: Who) -> JSONResponse:
    body = _body(await json_body(request), "publish_at", "timezone")
    post = await drafts.schedule(newsroom(request), who, slug, post_id, body.get("publish_at"),
                                 body.get("timezone"))
    return await _step(request, slug, post)


@router.delete("/blogs/{slug}/drafts/{post_id}/schedule", summary="Cancel the schedule")
async def unschedule(request: Request, slug: str, post_id: Id, who: Who) -> JSONResponse:
    return await _step(request, slug, await drafts.unschedule(newsroom(request), who, slug,
                                                              post_id))


@router.put("/blogs/{slug}/posts/{post_id}/editing", status_code=204,
            summary="Tell colleagues I am editing this post")
async def editing(request: Request, slug: str, post_id: Id, who: Who) -> Response:
    await drafts.editing(newsroom(request), who, slug, post_id, True)
    return Response(status_code=204)


@router.delete("/blogs/{slug}/posts/{post_id}/editing", status_code=204,
               summary="I stopped editing this post")
async def stopped_editing(request: Request, slug: str, post_id: Id, who: Who) -> Response:
    await drafts.editing(newsroom(request), who, slug, post_id, False)
    return Response(status_code=204)


@router.get("/blogs/{slug}/posts/{post_id}/revisions", summary="A post's revisions")
async def revisions(request: Request, slug: str, post_id: Id, who: Who) -> dict[str, Any]:
    nr = newsroom(request)
    blog, _ = await _member(nr, who, slug, Permission.SEE_NEWSROOM)
    async with nr.db.read() as conn:
        post = await post_or_404(conn, blog, post_id)
        rows = await history.list_revisions(conn, post.id)
    return {"post_id": post.id, "version": post.version, "revisions": [
        {**r, "blocks": _blocks_json(r["blocks"]),
         "created_at": r["created_at"].isoformat()} for r in rows]}


def _blocks_json(text: str) -> list[dict[str, Any]]:
    return [block_to_dict(b) for b in decode_blocks(text)]


@router.post("/blogs/{slug}/posts/{post_id}/revisions/{version}/restore",
             summary="Restore an earlier revision (needs If-Match)")
async def restore(request: Request, slug: str, post_id: Id, version: Id, who: Who,
                  if_match: IfMatch = None) -> JSONResponse:
    post = await post_actions.restore(newsroom(request), who, slug, post_id, version,
                                      parse_version(if_match))
    return await _step(request, slug, post)


@router.get("/blogs/{slug}/audit", summary="Every write on this blog: who, what, when, how")
async def audit_log(request: Request, slug: str, who: Who,
                    before: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    nr = newsroom(request)
    blog, _ = await _member(nr, who, slug, Permission.SEE_NEWSROOM)
    async with nr.db.read() as conn:
        entries = await history.audit_log(conn, blog.id, before_id=before)
    return {"entries": entries, "next_before": entries[-1]["id"] if len(entries) == 100
            else None}


@router.get("/blogs/{slug}/newsroom/changes", summary="The newsroom-only feed (drafts, queue, "
            "who is editing), for the composer")
async def newsroom_changes(request: Request, slug: str, who: Who,
                           since: Annotated[int, Query(ge=0, le=10**15)] = 0) -> Response:
    nr = newsroom(request)
    blog, member = await _member(nr, who, slug, Permission.SEE_NEWSROOM)
    async with nr.db.read() as conn:
        rows = await event_rows.newsroom_since(conn, blog.id, since)
    last = rows[-1][0] if rows else since
    if not member.can(Permission.APPROVE):
        rows = [row for row in rows if _own_or_presence(row[1], row[3], member.id)]
    items = ",".join(f'{{"seq":{s},"kind":"{k}","data":{d}}}' for s, k, _, d in rows)
    return Response('{"events":[' + items + f'],"last_seq":{last}}}',
                    media_type="application/json", headers={"Cache-Control": "no-store"})


@router.get("/blogs/{slug}/newsroom/live", summary="The newsroom-only feed as a stream "
            "(server-sent events), for desk tools")
async def newsroom_live(request: Request, slug: str, who: Who,
                        since: Annotated[int, Query(ge=0, le=10**15)] = 0) -> Response:
    """Each event is a `message` whose data is `{"seq", "kind", "data"}`, as in
    `/newsroom/changes`; a reconnecting EventSource resumes after its `Last-Event-ID`.

    For tools that watch the desk (a bot telling editors of submissions, a second screen).
    Journalists are few, so each stream reads the newsroom feed itself, twice a second:
    whatever wrote (this node, another node, the CLI) is seen within half a second. The
    composer itself polls `/newsroom/changes`: it already holds the reader stream, and
    browsers allow only six HTTP/1.1 connections per site across all its tabs."""
    nr = newsroom(request)
    blog, member = await _member(nr, who, slug, Permission.SEE_NEWSROOM)
    settings = request.app.state.settings
    resume = request.headers.get("last-event-id", "")
    after = int(resume) if resume.isdigit() and len(resume) < 16 else since
    sees_all = member.can(Permission.APPROVE)

    async def frames() -> AsyncIterator[bytes]:
        nonlocal after
        yield f"retry: {settings.sse_retry_ms}\n\n".encode()
        quiet = 0.0
        while True:
            async with nr.db.read() as conn:
                rows = await event_rows.newsroom_since(conn, blog.id, after)
            out = [f'id: {s}\ndata: {{"seq":{s},"kind":"{k}","data":{d}}}\n\n'
                   for s, k, _, d in rows if sees_all or _own_or_presence(k, d, member.id)]
            if rows:
                after = rows[-1][0]
            if out:
                quiet = 0.0
                yield "".join(out).encode()
            elif quiet >= settings.sse_heartbeat:
                quiet = 0.0
                try:  # signed out, token revoked or role taken away since: the stream ends
                    await _member(nr, await actor(request), slug, Permission.SEE_NEWSROOM)
                except BulletinError:
                    return
                yield b": still here\n\n"
            await asyncio.sleep(settings.feed_poll_interval)
            quiet += settings.feed_poll_interval

    return StreamingResponse(frames(), media_type="text/event-stream", headers={
        "Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _own_or_presence(kind: str, data: str, user_id: int) -> bool:
    """Contributors see who is editing what, and their own drafts — never others' drafts."""
    if kind.startswith("presence."):
        return True
    author = json.loads(data).get("author") or {}
    return bool(author.get("id") == user_id)


@router.post("/blogs/{slug}/preview", summary="Render a post exactly as readers will see it")
async def preview(request: Request, slug: str, who: Who) -> dict[str, Any]:
    nr = newsroom(request)
    blog, member = await _member(nr, who, slug, Permission.WRITE_DRAFTS)
    raw = _body(await json_body(request), "headline", "blocks", "language", "key_event",
                "pinned")
    content = parse_draft(raw, sanitize_html, mastodon_hosts=nr.mastodon_hosts)
    now = nr.now()
    async with nr.db.read() as conn:
        byline = await user_rows.profile(conn, member.id)
    post = Post(id=0, blog_id=blog.id, position=None, status=PostStatus.DRAFT,
                headline=content.headline, blocks=content.blocks, author_id=member.id,
                author_name=member.name, language=content.language, created_at=now,
                published_at=now, updated_at=now, version=0, pinned=False,
                key_event=bool(raw.get("key_event")),
                author_title=byline.title if byline else "",
                author_photo=byline.photo_url if byline else None)
    return {"html": post_html(post, blog)}


@router.get("/blogs/{slug}/members", summary="Colleagues and their roles on this blog, "
            "with the invitation of anyone who has not joined yet")
async def members(request: Request, slug: str, who: Who) -> dict[str, Any]:
    return {"members": await accounts.team(newsroom(request), who, slug)}


def _invited(request: Request, invited: accounts.Invited, now: Any) -> dict[str, Any]:
    url = f"{request.base_url}invite/{invited.token}" if invited.token else None
    found = invited.invitation
    return {"invite_url": url, "invitation": found.to_json(now) if found else None}


@router.post("/blogs/{slug}/invites", status_code=201, summary="Invite a colleague (the "
             "link is shown once; it works once, for a week)")
async def invite(request: Request, slug: str, who: Who) -> dict[str, Any]:
    body = _body(await json_body(request), "name", "role")
    nr = newsroom(request)
    invited = await accounts.invite(nr, who, slug, body.get("name"), body.get("role"))
    # invite_url is None when the person has an account already: the role applies at once.
    return {**_invited(request, invited, nr.now()), "name": body.get("name"),
            "role": body.get("role")}


@router.get("/blogs/{slug}/invites", summary="Invitations sent for this blog and their state "
            "(pending, accepted, expired, revoked, replaced)")
async def list_invites(request: Request, slug: str, who: Who) -> dict[str, Any]:
    nr = newsroom(request)
    found = await accounts.invitations(nr, who, slug)
    now = nr.now()
    return {"invitations": [i.to_json(now) for i in found]}


@router.post("/blogs/{slug}/invites/{invitation_id}/reissue", status_code=201,
             summary="A new link for a pending or expired invitation (the old link stops "
             "working)")
async def reissue_invite(request: Request, slug: str, invitation_id: InvitationId,
                         who: Who) -> dict[str, Any]:
    if await json_body(request, optional=True) not in (None, {}):
        raise ValidationError("A new link needs no details: send no body, or {}.")
    nr = newsroom(request)
    invited = await accounts.reissue(nr, who, slug, invitation_id)
    return _invited(request, invited, nr.now())


@router.delete("/blogs/{slug}/invites/{invitation_id}", summary="Withdraw an invitation: its "
               "link stops working at once")
async def revoke_invite(request: Request, slug: str, invitation_id: InvitationId,
                        who: Who) -> dict[str, Any]:
    nr = newsroom(request)
    closed = await accounts.revoke_invitation(nr, who, slug, invitation_id)
    return {"invitation": closed.to_json(nr.now())}


@router.put("/blogs/{slug}/members/{name}", summary="Change a colleague's role")
async def set_role(request: Request, slug: str, name: str, who: Who) -> dict[str, Any]:
    body = _body(await json_body(request), "role")
    await accounts.set_member_role(newsroom(request), who, slug, name, body.get("role"))
    return {"name": name, "role": body.get("role")}


@router.delete("/blogs/{slug}/members/{name}", status_code=204, summary="Remove a colleague")
async def remove_member(request: Request, slug: str, name: str, who: Who) -> Response:
    await accounts.set_member_role(newsroom(request), who, slug, name, None)
    return Response(status_code=204)


@router.get("/account", summary="My byline: name, role and photo")
async def account(request: Request, who: Who) -> dict[str, Any]:
    return (await profiles.profile(newsroom(request), who)).to_json()


@router.patch("/account", summary="Change my byline's role, or remove my photo")
async def update_account(request: Request, who: Who) -> dict[str, Any]:
    body = await json_body(request)
    return (await profiles.update_profile(newsroom(request), who, body)).to_json()


@router.delete("/account/photo", summary="Remove my byline photo")
async def remove_photo(request: Request, who: Who) -> dict[str, Any]:
    return (await profiles.update_profile(newsroom(request), who, {"photo": None})).to_json()


@router.get("/tokens", summary="My API tokens")
async def tokens(request: Request, who: Who) -> dict[str, Any]:
    async with newsroom(request).db.read() as conn:
        return {"tokens": await user_rows.list_tokens(conn, who.id)}


@router.post("/tokens", status_code=201, summary="Make an API token (shown once)")
async def new_token(request: Request, who: Who) -> dict[str, Any]:
    body = _body(await json_body(request, optional=True), "label")
    label = body.get("label") or "api"
    if not isinstance(label, str) or len(label) > 100:
        raise ValidationError("label must be text of up to 100 characters.", field="label")
    token = await user_actions.issue_token(newsroom(request), who, label)
    return {"token": token, "label": label}


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke one of my API tokens")
async def revoke(request: Request, token_id: Id, who: Who) -> Response:
    nr = newsroom(request)
    async with nr.db.transaction() as conn:
        if not await user_rows.revoke_token(conn, token_id, who.id, nr.now()):
            raise NotFound(f"You have no active token {token_id}.", field="token_id")
    return Response(status_code=204)
