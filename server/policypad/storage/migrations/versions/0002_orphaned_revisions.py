"""Keep revisions found past a gap in a pad's history, instead of losing them.

A pad whose revisions are not numbered without gaps (a write lost by an older version,
or rows removed by hand) loads up to its last consistent revision; the revisions after
it are moved here, so the pad takes new revisions again and nothing is deleted.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "orphaned_revisions",
        sa.Column("pad_id", sa.String(100), nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
        sa.Column("changeset", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("time_ms", sa.BigInteger, nullable=False),
        sa.Column("client_id", sa.String(100)),
        sa.Column("seq", sa.Integer),
        sa.Column("found_ms", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("pad_id", "rev", "found_ms"),
    )


def downgrade() -> None:
    op.drop_table("orphaned_revisions")
