"""The first schema: pads, revisions, snapshots, chat.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "pads",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.Column("head_rev", sa.Integer, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("pool", sa.Text, nullable=False),
    )
    op.create_table(
        "revisions",
        sa.Column("pad_id", sa.String(100), sa.ForeignKey("pads.id"), nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
        sa.Column("changeset", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("time_ms", sa.BigInteger, nullable=False),
        sa.Column("client_id", sa.String(100)),
        sa.Column("seq", sa.Integer),
        sa.PrimaryKeyConstraint("pad_id", "rev"),
        sa.UniqueConstraint("pad_id", "client_id", "seq", name="uq_revisions_client_seq"),
    )
    op.create_table(
        "snapshots",
        sa.Column("pad_id", sa.String(100), sa.ForeignKey("pads.id"), nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("attribs", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("pad_id", "rev"),
    )
    op.create_table(
        "chat",
        sa.Column("pad_id", sa.String(100), sa.ForeignKey("pads.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("time_ms", sa.BigInteger, nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("pad_id", "number"),
    )


def downgrade() -> None:
    for table in ("chat", "snapshots", "revisions", "pads"):
        op.drop_table(table)
