"""Named versions: a label on a revision ("Approved by committee 2026-03").

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("pad_id", sa.String(100), sa.ForeignKey("pads.id"), nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("time_ms", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("pad_id", "label", name="uq_versions_label"),
    )
    op.create_index("ix_versions_pad_time", "versions", ["pad_id", "time_ms"])


def downgrade() -> None:
    op.drop_index("ix_versions_pad_time", "versions")
    op.drop_table("versions")
