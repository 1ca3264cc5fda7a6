"""The newsroom: per-blog roles, sessions, login throttling, drafts and scheduling,
revisions, the audit log and the newsroom-only change feed.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bulletin.store.tables import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.alter_column("role", existing_type=sa.String(20), nullable=True)
    with op.batch_alter_table("blogs") as batch:
        batch.add_column(sa.Column("last_newsroom_seq", sa.Integer, nullable=False,
                                   server_default="0"))
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("publish_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("review_note", sa.Text, nullable=True))
        batch.create_index("ix_posts_status_publish_at", ["status", "publish_at"])
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("blog_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_memberships"),
        sa.ForeignKeyConstraint(["blog_id"], ["blogs.id"], ondelete="CASCADE",
                                name="fk_memberships_blog_id_blogs"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_memberships_user_id_users"),
        sa.UniqueConstraint("blog_id", "user_id", name="uq_memberships_blog_id_user_id"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("user_agent", sa.String(300), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_sessions_user_id_users"),
        sa.UniqueConstraint("token_hash", name="uq_sessions_token_hash"),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("address", sa.String(64), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_name", "login_failures", ["name"])
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("post_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("headline", sa.String(300), nullable=True),
        sa.Column("blocks", sa.Text, nullable=False),
        sa.Column("language", sa.String(35), nullable=True),
        sa.Column("editor_id", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_revisions"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE",
                                name="fk_revisions_post_id_posts"),
        sa.ForeignKeyConstraint(["editor_id"], ["users.id"], name="fk_revisions_editor_id_users"),
        sa.UniqueConstraint("post_id", "version", name="uq_revisions_post_id_version"),
    )
    op.create_index("ix_revisions_post_id", "revisions", ["post_id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("blog_id", sa.Integer, nullable=True),
        sa.Column("user_id", sa.Integer, nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("post_id", sa.Integer, nullable=True),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
        sa.Column("via", sa.String(120), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
        sa.ForeignKeyConstraint(["blog_id"], ["blogs.id"], ondelete="CASCADE",
                                name="fk_audit_blog_id_blogs"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_audit_user_id_users"),
    )
    op.create_index("ix_audit_blog_id", "audit", ["blog_id"])
    op.create_table(
        "newsroom_events",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("blog_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("post_id", sa.Integer, nullable=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_newsroom_events"),
        sa.ForeignKeyConstraint(["blog_id"], ["blogs.id"], ondelete="CASCADE",
                                name="fk_newsroom_events_blog_id_blogs"),
        sa.UniqueConstraint("blog_id", "seq", name="uq_newsroom_events_blog_id_seq"),
    )


def downgrade() -> None:
    op.drop_table("newsroom_events")
    op.drop_index("ix_audit_blog_id", table_name="audit")
    op.drop_table("audit")
    op.drop_index("ix_revisions_post_id", table_name="revisions")
    op.drop_table("revisions")
    op.drop_index("ix_login_failures_name", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_table("sessions")
    op.drop_table("memberships")
    with op.batch_alter_table("posts") as batch:
        batch.drop_index("ix_posts_status_publish_at")
        batch.drop_column("review_note")
        batch.drop_column("publish_at")
    with op.batch_alter_table("blogs") as batch:
        batch.drop_column("last_newsroom_seq")
    with op.batch_alter_table("users") as batch:
        batch.alter_column("role", existing_type=sa.String(20), nullable=False)
