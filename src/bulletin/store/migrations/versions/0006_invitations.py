"""Invitations get their own table: pending, accepted, expired, revoked or replaced, with
who sent them, for which blog and role. Unused invitation links from before (one-time rows
in `tokens`) become invitations for the person's first blog, valid for a week from now.

Revision ID: 0006_invitations
Revises: 0003
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from bulletin.store.tables import UTCDateTime

revision = "0006_invitations"
down_revision = "0005_profiles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("blog_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("inviter_id", sa.Integer, nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("accepted_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("replaced_by", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.ForeignKeyConstraint(["blog_id"], ["blogs.id"], ondelete="CASCADE",
                                name="fk_invitations_blog_id_blogs"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_invitations_user_id_users"),
        sa.ForeignKeyConstraint(["inviter_id"], ["users.id"],
                                name="fk_invitations_inviter_id_users"),
        sa.UniqueConstraint("token_hash", name="uq_invitations_token_hash"),
    )
    op.create_index("ix_invitations_blog_id", "invitations", ["blog_id"])
    op.create_index("ix_invitations_user_id", "invitations", ["user_id"])
    _carry_over_unused_links()


def _carry_over_unused_links() -> None:
    bind = op.get_bind()
    tokens = sa.table("tokens", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer),
                      sa.column("token_hash", sa.String), sa.column("label", sa.String),
                      sa.column("revoked_at", UTCDateTime()),
                      sa.column("created_at", UTCDateTime()))
    memberships = sa.table("memberships", sa.column("id", sa.Integer),
                           sa.column("user_id", sa.Integer), sa.column("blog_id", sa.Integer),
                           sa.column("role", sa.String))
    users = sa.table("users", sa.column("id", sa.Integer),
                     sa.column("password_hash", sa.String))
    invitations = sa.table("invitations", *(sa.column(name) for name in (
        "blog_id", "user_id", "role", "token_hash")), sa.column("created_at", UTCDateTime()),
        sa.column("expires_at", UTCDateTime()))
    now = datetime.now(UTC)
    unused = bind.execute(
        sa.select(tokens.c.user_id, tokens.c.token_hash, tokens.c.created_at)
        .join(users, users.c.id == tokens.c.user_id)
        .where(tokens.c.label == "invite", tokens.c.revoked_at.is_(None),
               users.c.password_hash.is_(None))).all()
    for user_id, token_hash, created_at in unused:
        first = bind.execute(
            sa.select(memberships.c.blog_id, memberships.c.role)
            .where(memberships.c.user_id == user_id).order_by(memberships.c.id).limit(1)
        ).first()
        if first is not None:
            bind.execute(sa.insert(invitations).values(
                blog_id=first[0], user_id=user_id, role=first[1], token_hash=token_hash,
                created_at=created_at, expires_at=now + timedelta(days=7)))
    # Every old one-time link is spent now: those still useful live on as invitations.
    bind.execute(sa.update(tokens).where(tokens.c.label == "invite",
                                         tokens.c.revoked_at.is_(None))
                 .values(revoked_at=now))


def downgrade() -> None:
    op.drop_index("ix_invitations_user_id", table_name="invitations")
    op.drop_index("ix_invitations_blog_id", table_name="invitations")
    op.drop_table("invitations")
