"""Alembic environment: migrations run on the connection PolicyPad hands over at start."""

from __future__ import annotations

from alembic import context

from policypad.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("PolicyPad runs its migrations itself at start (policypad serve)")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
