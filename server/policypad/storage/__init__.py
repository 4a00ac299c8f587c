"""Revision storage: SQLAlchemy (async) over SQLite by default, or PostgreSQL."""

from policypad.storage.store import RevisionStore, StoredPad

__all__ = ["RevisionStore", "StoredPad"]
