"""Search: each post keeps its headline and its blocks' words, folded, for the desk's
search box; existing posts are filled in here.

Revision ID: 0007_search
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bulletin.domain.search import searchable_text
from bulletin.store.posts import decode_blocks

revision = "0007_search"
down_revision = "0006_invitations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("search_text", sa.Text, nullable=False, server_default=""))
    posts = sa.table("posts", sa.column("id", sa.Integer), sa.column("headline", sa.String),
                     sa.column("blocks", sa.Text), sa.column("search_text", sa.Text))
    bind = op.get_bind()
    rows = bind.execute(sa.select(posts.c.id, posts.c.headline, posts.c.blocks)).all()
    for post_id, headline, blocks in rows:
        try:
            text = searchable_text(headline, decode_blocks(blocks))
        except (ValueError, KeyError, TypeError):  # a row no version of Bulletin wrote
            text = searchable_text(headline, ())
        bind.execute(sa.update(posts).where(posts.c.id == post_id).values(search_text=text))


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("search_text")
