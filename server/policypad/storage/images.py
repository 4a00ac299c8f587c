"""ImageStore: the images of pads, in the pads' database, content-addressed.

An image is stored for one pad under the sha256 of its bytes; storing the same bytes
for the same pad again changes nothing (so an upload may be repeated, and two processes
may store one image at once). Writes go through the revision store's group committer,
so on a SQLite file they take the same writer as revisions and never contend with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from policypad.storage.store import RevisionStore
from policypad.storage.tables import images


@dataclass(frozen=True)
class ImageRecord:
    """One image as stored: its hash (hex sha256), what its bytes are, the bytes."""

    hash: str
    media_type: str
    width: int
    height: int
    data: bytes


class ImageStore:
    """The images of `store`'s pads (use it once `store` is open)."""

    def __init__(self, store: RevisionStore) -> None:
        self._store = store

    async def put(self, pad_id: str, records: Sequence[ImageRecord], now_ms: int) -> None:
        """Store `records` for `pad_id` in one transaction; those it has already stay."""
        if not records:
            return
        rows = [
            {"pad_id": pad_id, "hash": record.hash, "media_type": record.media_type,
             "width": record.width, "height": record.height, "data": record.data,
             "created_ms": now_ms}
            for record in {record.hash: record for record in records}.values()
        ]  # fmt: skip

        def write(connection: Connection) -> None:
            dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(images).on_conflict_do_nothing(
                index_elements=["pad_id", "hash"]
            )
            connection.execute(statement, rows)

        await self._store.committer.submit(write)

    async def get(self, pad_id: str, digest: str) -> ImageRecord | None:
        """The image stored for `pad_id` under `digest`, or None."""
        query = select(
            images.c.hash, images.c.media_type, images.c.width, images.c.height, images.c.data
        ).where(and_(images.c.pad_id == pad_id, images.c.hash == digest))
        async with self._store.engine.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            return None
        return ImageRecord(row.hash, row.media_type, row.width, row.height, bytes(row.data))
