"""Bylines: a person's display role ("Political correspondent") and photo on their account.

Revision ID: 0005_profiles
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_profiles"
down_revision = "0004_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("title", sa.String(80), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("photo_url", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("photo_url")
        batch.drop_column("title")
