"""The schema, in one place. Alembic migrations create it; a test keeps the two in step."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC everywhere (SQLite has no time zones); read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    # The site-wide role (admin, or a default for every blog); per-blog roles are memberships.
    Column("role", String(20), nullable=True),
    Column("password_hash", String(200), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    # The byline: a display role ("Political correspondent") and a square photo (an upload).
    Column("title", String(80), nullable=False, server_default=""),
    Column("photo_url", String(300), nullable=True),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", String(100), nullable=False, server_default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_used_at", UTCDateTime(), nullable=True),
    Column("revoked_at", UTCDateTime(), nullable=True),
)

blogs = Table(
    "blogs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("language", String(35), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("status", String(10), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
    # The per-blog counters: bumped inside each write's transaction, so commit order is seq order.
    Column("last_seq", Integer, nullable=False, server_default="0"),
    Column("last_position", Integer, nullable=False, server_default="0"),
    Column("poll_after", Integer, nullable=True),
    Column("last_newsroom_seq", Integer, nullable=False, server_default="0"),
    # The post that closed the coverage (no foreign key: posts already point at blogs).
    Column("closing_post_id", Integer, nullable=True),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("blog_id", Integer, ForeignKey("blogs.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=True),
    Column("status", String(10), nullable=False),
    Column("headline", String(300), nullable=True),
    Column("blocks", Text, nullable=False),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("language", String(35), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("published_at", UTCDateTime(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
    Column("pinned", Boolean, nullable=False, server_default="0"),
    Column("key_event", Boolean, nullable=False, server_default="0"),
    Column("idempotency_key", String(200), nullable=True),
    Column("publish_at", UTCDateTime(), nullable=True),
    Column("review_note", Text, nullable=True),
    # Visible corrections, oldest first, as JSON: [{"at": ISO 8601, "note": "…"}].
    Column("corrections", Text, nullable=False, server_default="[]"),
    #: The headline and the blocks' words, folded for search (domain/search.py).
    Column("search_text", Text, nullable=False, server_default=""),
    UniqueConstraint("blog_id", "position"),
    UniqueConstraint("blog_id", "author_id", "idempotency_key"),
    Index("ix_posts_blog_id_status_position", "blog_id", "status", "position"),
    Index("ix_posts_status_publish_at", "status", "publish_at"),
)

def _feed(name: str) -> Table:
    """A change feed: one row per event, numbered by a per-blog seq."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("blog_id", Integer, ForeignKey("blogs.id", ondelete="CASCADE"), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("kind", String(30), nullable=False),
        Column("post_id", Integer, nullable=True),
        Column("data", Text, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        UniqueConstraint("blog_id", "seq"),
    )


events = _feed("events")  # public: what readers see

memberships = Table(
    "memberships",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("blog_id", Integer, ForeignKey("blogs.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(20), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("blog_id", "user_id"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("user_agent", String(300), nullable=False, server_default=""),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, index=True),
    Column("address", String(64), nullable=False, server_default=""),
    Column("created_at", UTCDateTime(), nullable=False),
)

revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("version", Integer, nullable=False),
    Column("headline", String(300), nullable=True),
    Column("blocks", Text, nullable=False),
    Column("language", String(35), nullable=True),
    Column("editor_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # The note readers were shown, when this version was a visible correction.
    Column("correction", Text, nullable=True),
    UniqueConstraint("post_id", "version"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("blog_id", Integer, ForeignKey("blogs.id", ondelete="CASCADE"), nullable=True,
           index=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("action", String(40), nullable=False),
    Column("post_id", Integer, nullable=True),
    Column("detail", Text, nullable=False, server_default=""),
    Column("via", String(120), nullable=False, server_default=""),
    Column("created_at", UTCDateTime(), nullable=False),
)

invitations = Table(
    "invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("blog_id", Integer, ForeignKey("blogs.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    # Who sent it (null only for links made before invitations had their own table).
    Column("inviter_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # SHA-256 of the link
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("accepted_at", UTCDateTime(), nullable=True),
    Column("revoked_at", UTCDateTime(), nullable=True),
    # Set when "Copy a new link" replaced this one: the old link then says so.
    Column("replaced_by", Integer, nullable=True),
)

newsroom_events = _feed("newsroom_events")  # drafts, the queue, presence: never public

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("blog_id", Integer, ForeignKey("blogs.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("url", String(2048), nullable=False),
    Column("secret", String(100), nullable=False),
    Column("events", String(300), nullable=False),  # comma-separated kinds or prefixes "post.*"
    Column("active", Boolean, nullable=False, server_default="1"),
    # The last public event already turned into deliveries: the change feed is the queue.
    Column("last_seq", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("webhook_id", Integer, ForeignKey("webhooks.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(10), nullable=False),  # pending, delivered, failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTCDateTime(), nullable=True),
    Column("last_status", Integer, nullable=True),
    Column("last_error", String(500), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("delivered_at", UTCDateTime(), nullable=True),
    UniqueConstraint("webhook_id", "seq"),
    Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
)
