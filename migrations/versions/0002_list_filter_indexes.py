"""indexes for the list filters: an author's, a tag's and a user's favorite articles

Each composite replaces the single-column index it starts with, which it also serves
(foreign key lookups and cascades included).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 03:11:09.267194

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# (table, new index, its columns, the index it replaces, that index's columns)
REPLACEMENTS = [
    ('articles', 'ix_articles_author_id_created_at_id', ['author_id', 'created_at', 'id'],
     'ix_articles_author_id', ['author_id']),
    ('article_tags', 'ix_article_tags_tag_id_article_id', ['tag_id', 'article_id'],
     'ix_article_tags_tag_id', ['tag_id']),
    ('favorites', 'ix_favorites_user_id_article_id', ['user_id', 'article_id'],
     'ix_favorites_user_id', ['user_id']),
]


def upgrade():
    for table, new, new_columns, old, _ in REPLACEMENTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(new, new_columns, unique=False)
            batch_op.drop_index(old)


def downgrade():
    for table, new, _, old, old_columns in reversed(REPLACEMENTS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(old, old_columns, unique=False)
            batch_op.drop_index(new)
