"""The newsroom in the browser: sign-in, invitations, the dashboard, the composer, the
audit log, the team and the account pages. Pages are server-rendered; writes go through
the JSON API with the session cookie and the CSRF token (static/desk/)."""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bulletin.actions import accounts, drafts, profiles
from bulletin.actions import posts as post_actions
from bulletin.actions.newsroom import Newsroom, as_member, blog_or_404
from bulletin.domain.blog import MAX_POLL_AFTER
from bulletin.domain.errors import BulletinError, NotFound, ValidationError
from bulletin.domain.invitations import InvitationState
from bulletin.domain.paging import PAGE_SIZE, page_count, page_for
from bulletin.domain.roles import Permission
from bulletin.render.payload import post_json
from bulletin.render.templating import dateline, environment
from bulletin.store import blogs as blog_rows
from bulletin.store import history
from bulletin.store import posts as post_rows
from bulletin.store import users as user_rows
from bulletin.store.sessions import Session
from bulletin.web.media_api import read_form
from bulletin.web.requests import SESSION_COOKIE, check_csrf, newsroom, signed_in

router = APIRouter(include_in_schema=False)
LOGIN_CSRF = "bulletin_login_csrf"
NO_STORE = {"Cache-Control": "no-store", "X-Frame-Options": "DENY"}


def render(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _local(path: str | None) -> str:
    """Only ever redirect within this site after signing in."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/newsroom"
    return path


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def _login_page(request: Request, *, error: str = "", status: int = 200,
                name: str = "") -> HTMLResponse:
    token = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(24)
    response = render("login.html", status, error=error, csrf_token=token, name=name,
                      next=_local(request.query_params.get("next")))
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict",
                        secure=_secure(request), max_age=3600)
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> Response:
    if await signed_in(request):
        return RedirectResponse(_local(request.query_params.get("next")), status_code=303)
    return _login_page(request, name=request.query_params.get("name", "")[:100])


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, name: Annotated[str, Form(max_length=100)] = "",
                password: Annotated[str, Form(max_length=1024)] = "",
                csrf_token: Annotated[str, Form(max_length=200)] = "",
                next: Annotated[str, Form(max_length=2000)] = "/newsroom") -> Response:
    expected = request.cookies.get(LOGIN_CSRF, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return _login_page(request, error="This sign-in form had expired. Please try again.",
                           status=403, name=name)
    address = request.client.host if request.client else ""
    try:
        signed = await accounts.sign_in(newsroom(request), name.strip(), password,
                                        address=address,
                                        user_agent=request.headers.get("user-agent", ""))
    except BulletinError as exc:
        return _login_page(request, error=exc.message, status=exc.status, name=name)
    response = _with_session(RedirectResponse(_local(next), status_code=303), request, signed)
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout")
async def logout(request: Request,
                 csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    session = await signed_in(request)
    if session is not None:
        check_csrf(request, session, csrf_token)
        await accounts.sign_out(newsroom(request), request.cookies[SESSION_COOKIE])
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/invite/{token}", response_class=HTMLResponse)
async def invite_form(request: Request, token: str) -> HTMLResponse:
    page = await accounts.invitation_for(newsroom(request), token)
    return _invite_page(token, page)


def _invite_page(token: str, page: accounts.InvitePage | None, error: str = "",
                 status: int | None = None) -> HTMLResponse:
    """The link's page: the form while the invitation is pending; otherwise what happened
    to the link and what to do (404 for a link never issued, 410 for a closed one)."""
    if page is None:
        return render("invite.html", 404, token=token, page=None, state="unknown",
                      error=accounts.INVITE_GONE)
    if page.state is not InvitationState.PENDING:
        return render("invite.html", 410, token=token, page=page, state=page.state.value,
                      error=accounts.closed_message(page.invitation, page.state))
    return render("invite.html", status or 200, token=token, page=page, state="pending",
                  error=error)


@router.post("/invite/{token}", response_class=HTMLResponse)
async def accept_invite(request: Request, token: str,
                        password: Annotated[str, Form(max_length=1024)] = "") -> Response:
    nr = newsroom(request)
    try:
        joined = await accounts.accept_invite(
            nr, token, password, address=request.client.host if request.client else "",
            user_agent=request.headers.get("user-agent", ""))
    except ValidationError as exc:
        return _invite_page(token, await accounts.invitation_for(nr, token), exc.message,
                            exc.status)
    except BulletinError:
        return _invite_page(token, await accounts.invitation_for(nr, token))
    target = f"/blogs/{quote(joined.slug)}/edit" if joined.slug else "/newsroom"
    return _with_session(RedirectResponse(target, status_code=303), request, joined.signed)


def _with_session(response: Response, request: Request, signed: accounts.SignedIn
                  ) -> Response:
    response.set_cookie(SESSION_COOKIE, signed.token, httponly=True, samesite="lax",
                        secure=_secure(request), max_age=int(
                            accounts.SESSION_LIFETIME.total_seconds()), path="/")
    return response


async def _session_or_login(request: Request) -> Session | RedirectResponse:
    session = await signed_in(request)
    return session if session is not None else _to_login(request)


@router.get("/newsroom", response_class=HTMLResponse)
async def dashboard(request: Request) -> Response:
    session = await _session_or_login(request)
    if isinstance(session, RedirectResponse):
        return session
    nr = newsroom(request)
    async with nr.db.read() as conn:
        rows = []
        for blog in await blog_rows.list_blogs(conn, limit=500):
            member = await as_member(conn, session.actor, blog)
            if member.role is not None:
                rows.append((blog, member))
    return render("newsroom.html", user=session.actor, csrf_token=session.csrf_token,
                  blogs=rows, can_create=session.actor.can(Permission.CREATE_BLOG))


async def _blog_page(request: Request, slug: str, permission: Permission
                     ) -> tuple[Session, Any, Any] | Response:
    session = await _session_or_login(request)
    if isinstance(session, RedirectResponse):
        return session
    nr: Newsroom = newsroom(request)
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        member = await as_member(conn, session.actor, blog)
    member.require(permission)
    return session, blog, member


def _shown(query: str | None) -> str:
    """The search as typed, for the search box: printable characters only, kept short."""
    return "".join(ch for ch in (query or "") if ch.isprintable())[:300].strip()


@router.get("/blogs/{slug}/edit", response_class=HTMLResponse)
async def composer(request: Request, slug: str,
                   page: Annotated[int | None, Query(ge=1, le=10**9)] = None,
                   q: Annotated[str | None, Query()] = None) -> Response:
    """The desk. Its stream pages like the reader page (`?page=K`, counted from the oldest
    post) and searches (`?q=`), so every post can be found and corrected from here."""
    found = await _blog_page(request, slug, Permission.WRITE_DRAFTS)
    if isinstance(found, Response):
        return found
    session, blog, member = found
    nr = newsroom(request)
    searching = q is not None and q.strip() != ""
    results: post_actions.Found | None = None
    search_error = ""
    posts: list[Any] = []
    current = page_for(blog.last_position, None if searching else page, PAGE_SIZE)
    if current is None:
        raise NotFound(f"The stream has no page {page}; it has "
                       f"{page_count(blog.last_position, PAGE_SIZE)}.", field="page")
    if searching:
        try:
            _, results = await post_actions.search(nr, session.actor, slug, q, page or 1)
            posts = results.posts
        except BulletinError as exc:
            search_error = exc.message
    async with nr.db.read() as conn:
        if not searching:
            posts = await post_rows.in_positions(conn, blog.id, current.first_position,
                                                 current.last_position)
        pinned = await post_rows.pinned(conn, blog.id)
        newsroom_seq = await blog_rows.last_newsroom_seq(conn, blog.id)
    _, unpublished = await drafts.newsroom_posts(nr, session.actor, slug)
    permissions = sorted(p.name.lower() for p in Permission if member.can(p))
    return render("composer.html", blog=blog, user=member, csrf_token=session.csrf_token,
                  posts=posts, pinned=pinned, page=current, newsroom_seq=newsroom_seq,
                  drafts=[post_json(p, blog) for p in unpublished], permissions=permissions,
                  view="search" if searching else "stream", query=_shown(q),
                  results=results, search_error=search_error, page_size=PAGE_SIZE)


@router.get("/blogs/{slug}/audit", response_class=HTMLResponse)
async def audit_page(request: Request, slug: str) -> Response:
    found = await _blog_page(request, slug, Permission.SEE_NEWSROOM)
    if isinstance(found, Response):
        return found
    session, blog, member = found
    async with newsroom(request).db.read() as conn:
        entries = await history.audit_log(conn, blog.id, limit=500)
    return render("audit.html", blog=blog, user=member, csrf_token=session.csrf_token,
                  entries=entries)


@router.get("/blogs/{slug}/team", response_class=HTMLResponse)
async def team_page(request: Request, slug: str) -> Response:
    found = await _blog_page(request, slug, Permission.SEE_NEWSROOM)
    if isinstance(found, Response):
        return found
    session, blog, member = found
    people = await accounts.team(newsroom(request), session.actor, slug)
    for person in people:  # dates as the newsroom reads them: in the blog's zone, labelled
        sent = person["invitation"] or {}
        for key in ("sent_at", "expires_at"):
            when = sent.get(key)
            person[key.replace("_at", "_label")] = dateline(
                datetime.fromisoformat(when), blog.timezone) if when else ""
    return render("team.html", blog=blog, user=member, csrf_token=session.csrf_token,
                  members=people, can_manage=member.can(Permission.MANAGE_MEMBERS))


@lru_cache(maxsize=1)
def time_zones() -> list[str]:
    """Every zone the server's time zone database knows, for the settings page's list."""
    return sorted(z for z in zoneinfo.available_timezones()
                  if not z.startswith(("posix/", "right/", "SystemV/")) and z != "localtime")


LANGUAGES = (("en", "English"), ("en-GB", "English (UK)"), ("en-US", "English (US)"),
             ("de", "German"), ("fr", "French"), ("es", "Spanish"), ("it", "Italian"),
             ("pt", "Portuguese"), ("pt-BR", "Portuguese (Brazil)"), ("nl", "Dutch"),
             ("pl", "Polish"), ("uk", "Ukrainian"), ("ru", "Russian"), ("tr", "Turkish"),
             ("ar", "Arabic"), ("he", "Hebrew"), ("fa", "Persian"), ("sv", "Swedish"),
             ("da", "Danish"), ("nb", "Norwegian"), ("fi", "Finnish"), ("el", "Greek"),
             ("ja", "Japanese"), ("ko", "Korean"), ("zh", "Chinese"), ("hi", "Hindi"))


@router.get("/blogs/{slug}/settings", response_class=HTMLResponse)
async def settings_page(request: Request, slug: str) -> Response:
    """Everyone on the blog may look; editors and admins may change (the API checks)."""
    found = await _blog_page(request, slug, Permission.SEE_NEWSROOM)
    if isinstance(found, Response):
        return found
    session, blog, member = found
    now = newsroom(request).now()
    return render("settings.html", blog=blog, user=member, csrf_token=session.csrf_token,
                  can_edit=member.can(Permission.UPDATE_BLOG), zones=time_zones(),
                  languages=LANGUAGES, site_poll_after=request.app.state.settings.poll_after,
                  max_poll_after=MAX_POLL_AFTER, now=now, now_there=dateline(now, blog.timezone))


async def _account(request: Request, session: Session, status: int = 200, *,
                   error: str = "", error_field: str = "", title: str | None = None,
                   saved: bool = False) -> HTMLResponse:
    async with newsroom(request).db.read() as conn:
        tokens = await user_rows.list_tokens(conn, session.actor.id)
        profile = await user_rows.profile(conn, session.actor.id)
    return render("account.html", status, user=session.actor, csrf_token=session.csrf_token,
                  tokens=tokens, profile=profile, error=error, error_field=error_field,
                  title=profile.title if title is None and profile else title or "",
                  saved=saved)


@router.get("/account", response_class=HTMLResponse)
async def account_page(request: Request) -> Response:
    session = await _session_or_login(request)
    if isinstance(session, RedirectResponse):
        return session
    return await _account(request, session, saved=request.query_params.get("saved") == "1")


@router.post("/account/profile", response_class=HTMLResponse)
async def save_profile(request: Request) -> Response:
    """The byline form, a plain multipart form: it works without the desk's script."""
    session = await _session_or_login(request)
    if isinstance(session, RedirectResponse):
        return session
    nr, settings = newsroom(request), request.app.state.settings
    title: str | None = None
    try:
        fields, photo = await read_form(request, settings.media_max_bytes)
        check_csrf(request, session, fields.get("csrf_token"))
        title = fields.get("title", "")
        changes: dict[str, Any] = {"title": title}
        if fields.get("remove_photo") == "1" and photo is None:
            changes["photo"] = None
        await profiles.update_profile(nr, session.actor, changes)
        if photo is not None:
            await profiles.set_photo(nr, settings, session.actor, photo)
    except BulletinError as exc:
        return await _account(request, session, exc.status, error=exc.message,
                              error_field=exc.field or "", title=title)
    return RedirectResponse("/account?saved=1", status_code=303)
