"""The database schema (SQLAlchemy Core). Changes go through Alembic migrations."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

pads = Table(
    "pads",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    Column("head_rev", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    # the pad's attribute pool (JSON); it only grows, so the latest is valid for every revision
    Column("pool", Text, nullable=False),
)

revisions = Table(
    "revisions",
    metadata,
    Column("pad_id", String(100), ForeignKey("pads.id"), nullable=False),
    Column("rev", Integer, nullable=False),
    Column("changeset", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("time_ms", BigInteger, nullable=False),
    Column("client_id", String(100)),
    Column("seq", Integer),
    PrimaryKeyConstraint("pad_id", "rev"),
    UniqueConstraint("pad_id", "client_id", "seq", name="uq_revisions_client_seq"),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("pad_id", String(100), ForeignKey("pads.id"), nullable=False),
    Column("rev", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("attribs", Text, nullable=False),
    PrimaryKeyConstraint("pad_id", "rev"),
)

chat = Table(
    "chat",
    metadata,
    Column("pad_id", String(100), ForeignKey("pads.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("author", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("time_ms", BigInteger, nullable=False),
    Column("rev", Integer, nullable=False),
    PrimaryKeyConstraint("pad_id", "number"),
)

orphaned_revisions = Table(
    "orphaned_revisions",
    metadata,
    # revisions found after a gap in a pad's history, moved aside when it was loaded
    Column("pad_id", String(100), nullable=False),
    Column("rev", Integer, nullable=False),
    Column("changeset", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("time_ms", BigInteger, nullable=False),
    Column("client_id", String(100)),
    Column("seq", Integer),
    Column("found_ms", BigInteger, nullable=False),
    PrimaryKeyConstraint("pad_id", "rev", "found_ms"),
)

versions = Table(
    "versions",
    metadata,
    # a label on a revision; "the version in effect at T" is the newest named at or before T
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pad_id", String(100), ForeignKey("pads.id"), nullable=False),
    Column("rev", Integer, nullable=False),
    Column("label", String(200), nullable=False),
    Column("note", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("time_ms", BigInteger, nullable=False),
    UniqueConstraint("pad_id", "label", name="uq_versions_label"),
    Index("ix_versions_pad_time", "pad_id", "time_ms"),
)

authors = Table(
    "authors",
    metadata,
    # names and colors of authors as another system knew them (an Etherpad import)
    Column("id", String(200), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("color", String(20), nullable=False),
)

images = Table(
    "images",
    metadata,
    # an image as stored for a pad, under the sha256 of its bytes (hex); no foreign key to
    # pads: an import stores the images of a pad just before it creates the pad
    Column("pad_id", String(100), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("media_type", String(20), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    PrimaryKeyConstraint("pad_id", "hash"),
)
