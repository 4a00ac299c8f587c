"""Pure pad logic: committing a client's changeset at a base revision, with no I/O."""

from policypad.pad.commit import Revision, rebase_commit, stamp_author
from policypad.pad.state import PadState

__all__ = ["PadState", "Revision", "rebase_commit", "stamp_author"]
