"""Visible corrections on posts (and which revision made each), and the post that closed
a blog's coverage.

Revision ID: 0004_corrections
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_corrections"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("corrections", sa.Text, nullable=False,
                                   server_default="[]"))
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("correction", sa.Text, nullable=True))
    with op.batch_alter_table("blogs") as batch:
        batch.add_column(sa.Column("closing_post_id", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("blogs") as batch:
        batch.drop_column("closing_post_id")
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("correction")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("corrections")
