"""The newsroom in the browser: sign-in, invitations, the dashboard, the composer, the
audit log, the team and the account pages. Pages are server-rendered; writes go through
the JSON API with the session cookie and the CSRF token (static/desk/)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bulletin.actions import accounts, drafts
from bulletin.actions.newsroom import Newsroom, as_member, blog_or_404
from bulletin.domain.errors import BulletinError
from bulletin.domain.paging import PAGE_SIZE, page_for
from bulletin.domain.roles import Permission
from bulletin.render.payload import post_json
from bulletin.render.templating import environment
from bulletin.store import blogs as blog_rows
from bulletin.store import history
from bulletin.store import posts as post_rows
from bulletin.store import users as user_rows
from bulletin.store.sessions import Session
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
    return _login_page(request)


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
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, signed.token, httponly=True, samesite="lax",
                        secure=_secure(request), max_age=int(
                            accounts.SESSION_LIFETIME.total_seconds()), path="/")
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
    if await accounts.invited(newsroom(request), token) is None:  # used, or never issued
        return render("invite.html", 404, token=token, error=accounts.INVITE_GONE)
    return render("invite.html", token=token, error="")


@router.post("/invite/{token}", response_class=HTMLResponse)
async def accept_invite(request: Request, token: str,
                        password: Annotated[str, Form(max_length=1024)] = "") -> Response:
    try:
        user = await accounts.accept_invite(newsroom(request), token, password)
    except BulletinError as exc:
        return render("invite.html", exc.status, token=token, error=exc.message)
    return RedirectResponse(f"/login?welcome={quote(user.name)}", status_code=303)


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


@router.get("/blogs/{slug}/edit", response_class=HTMLResponse)
async def composer(request: Request, slug: str) -> Response:
    found = await _blog_page(request, slug, Permission.WRITE_DRAFTS)
    if isinstance(found, Response):
        return found
    session, blog, member = found
    nr = newsroom(request)
    page = page_for(blog.last_position, None, PAGE_SIZE)
    assert page is not None
    async with nr.db.read() as conn:
        posts = await post_rows.in_positions(conn, blog.id, page.first_position, None)
        pinned = await post_rows.pinned(conn, blog.id)
        newsroom_seq = await blog_rows.last_newsroom_seq(conn, blog.id)
    _, unpublished = await drafts.newsroom_posts(nr, session.actor, slug)
    permissions = sorted(p.name.lower() for p in Permission if member.can(p))
    return render("composer.html", blog=blog, user=member, csrf_token=session.csrf_token,
                  posts=posts, pinned=pinned, page=page, newsroom_seq=newsroom_seq,
                  drafts=[post_json(p, blog) for p in unpublished], permissions=permissions)


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
    async with newsroom(request).db.read() as conn:
        people = await user_rows.members(conn, blog.id)
    return render("team.html", blog=blog, user=member, csrf_token=session.csrf_token,
                  members=people, can_manage=member.can(Permission.MANAGE_MEMBERS))


@router.get("/account", response_class=HTMLResponse)
async def account_page(request: Request) -> Response:
    session = await _session_or_login(request)
    if isinstance(session, RedirectResponse):
        return session
    async with newsroom(request).db.read() as conn:
        tokens = await user_rows.list_tokens(conn, session.actor.id)
    return render("account.html", user=session.actor, csrf_token=session.csrf_token,
                  tokens=tokens)
