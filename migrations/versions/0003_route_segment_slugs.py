"""articles whose slug is a fixed path segment (`feed`) get a suffixed one

Such an article could be changed but never read: `GET /api/articles/feed` is the feed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 04:00:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# As models/slug.py's ROUTE_SEGMENTS was when this revision was written.
ROUTE_SEGMENTS = ("feed",)
articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("slug", sa.String))


def upgrade():
    connection = op.get_bind()
    clashing = connection.execute(
        sa.select(articles.c.id, articles.c.slug).where(articles.c.slug.in_(ROUTE_SEGMENTS))
    ).all()
    for article_id, slug in clashing:
        connection.execute(
            articles.update()
            .where(articles.c.id == article_id)
            .values(slug=f"{slug}-{secrets.token_hex(3)}")
        )


def downgrade():
    pass  # the old slugs led nowhere: nothing to give back
