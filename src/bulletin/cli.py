"""`bulletin serve | demo | createuser | migrate | prune-media` — serve is the default."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bulletin.actions import accounts
from bulletin.actions import media as media_actions
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.errors import BulletinError
from bulletin.domain.roles import Role
from bulletin.feed.broker import InProcessBroker
from bulletin.media.storage import storage_for
from bulletin.settings import Settings
from bulletin.store.database import Database
from bulletin.store.migrate import upgrade
from bulletin.store.users import get_by_name


async def _migrate(settings: Settings) -> None:
    db = Database(settings.database_url)
    try:
        await upgrade(db)
    finally:
        await db.close()


async def _createuser(settings: Settings, name: str, role: Role, password: str | None
                      ) -> tuple[str, bool]:
    db = Database(settings.database_url)
    nr = Newsroom(db=db, broker=InProcessBroker())
    try:
        await upgrade(db)
        async with db.read() as conn:
            existing = await get_by_name(conn, name)
        actor = await user_actions.ensure_user(nr, name, role)
        if password is not None:
            await accounts.set_password(nr, actor, password)
        return await user_actions.issue_token(nr, actor, "cli"), existing is None
    finally:
        await db.close()


async def _prune_media(settings: Settings, older_than: timedelta, dry_run: bool
                       ) -> media_actions.Pruned:
    db = Database(settings.database_url)
    try:
        await upgrade(db)
        return await media_actions.prune_unused(Newsroom(db=db, broker=InProcessBroker()),
                                                storage_for(settings), older_than=older_than,
                                                dry_run=dry_run)
    finally:
        await db.close()


def _password(args: argparse.Namespace) -> str | None:
    """From --password-stdin, or asked for at a terminal; scripts may leave it unset
    (token only) and set one later by running createuser again."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if sys.stdin.isatty():
        first = getpass.getpass("Password for signing in (empty: API token only): ")
        if first and getpass.getpass("Again: ") != first:
            raise BulletinError("The two passwords differ.")
        return first or None
    return None


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "database_url", None):
        settings = replace(settings, database_url=args.database_url)
    if getattr(args, "host", None):
        settings = replace(settings, host=args.host)
    if getattr(args, "port", None) is not None:
        settings = replace(settings, port=args.port)
    if getattr(args, "data_dir", None):
        settings = replace(settings, data_dir=Path(args.data_dir))
    if getattr(args, "demo", False):
        settings = replace(settings, demo=True)
    return settings


def serve(settings: Settings) -> None:
    import uvicorn

    from bulletin.web.app import create_app

    asyncio.run(_migrate(settings))
    hooks = []
    if settings.demo:
        from bulletin.demo.runner import start_demo

        hooks.append(start_demo)
    app = create_app(settings, on_startup=hooks)
    print(f"Bulletin is serving http://{settings.host}:{settings.port}/", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info",
                timeout_graceful_shutdown=2, access_log=False, proxy_headers=True,
                forwarded_allow_ips=settings.forwarded_allow_ips, backlog=settings.backlog)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bulletin", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    for name, help_text in (("serve", "serve the site (default)"),
                            ("demo", "serve the site with a live demo blog")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--host")
        p.add_argument("--port", type=int)
        p.add_argument("--database-url")
        p.add_argument("--data-dir")
        if name == "serve":
            p.add_argument("--demo", action="store_true", help="publish demo posts")
    p = sub.add_parser("createuser", help="create a user (or a new token) and print a token")
    p.add_argument("name")
    p.add_argument("--role", choices=[r.value for r in Role], default=Role.EDITOR.value)
    p.add_argument("--password-stdin", action="store_true",
                   help="read a password (for signing in at /login) from standard input")
    p.add_argument("--database-url")
    p = sub.add_parser("migrate", help="bring the database schema up to date")
    p.add_argument("--database-url")
    p = sub.add_parser("prune-media", help="remove uploaded photos that no post or revision "
                       "uses, once they are older than --days")
    p.add_argument("--days", type=float, default=media_actions.GRACE.days,
                   help=f"keep anything younger (default {media_actions.GRACE.days})")
    p.add_argument("--dry-run", action="store_true", help="only say what would be removed")
    p.add_argument("--database-url")
    p.add_argument("--data-dir")
    args = parser.parse_args(argv)
    command = args.command or "serve"
    if command == "demo":
        args.demo = True
    settings = _settings(args)
    try:
        if command in ("serve", "demo"):
            serve(settings)
        elif command == "prune-media":
            if args.days < 0:
                raise BulletinError("--days cannot be negative.")
            done = asyncio.run(_prune_media(settings, timedelta(days=args.days), args.dry_run))
            verb = "Would remove" if args.dry_run else "Removed"
            print(f"{verb} {done.photos} unused photo(s): {done.files} file(s), "
                  f"{done.bytes / 1_048_576:.1f} MB; kept {done.kept}.")
        elif command == "migrate":
            asyncio.run(_migrate(settings))
            print("Database is up to date.")
        elif command == "createuser":
            password = _password(args)
            if password is not None:
                accounts.validate_password(password)
            token, created = asyncio.run(_createuser(settings, args.name, Role(args.role),
                                                     password))
            verb = "Created" if created else "Issued a new token for"
            print(f"{verb} {args.role} {args.name!r}. API token (shown once):", file=sys.stderr)
            print(token)
    except BulletinError as exc:
        print(f"bulletin: {exc.message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
