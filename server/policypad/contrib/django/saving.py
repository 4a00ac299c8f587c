"""What a form saves from a pad: the pad's content at the revision the saving user had seen.

The browser holds the form until the pad has stored every edit of that user, then posts
the revision its editor was at (``<field>__policypad_rev``). The back end reads the pad at
that revision with its API key, so the field gets exactly what the user saw, everyone's
edits up to then included, and never the posted copy of the editor (which could be stale,
or forged). If the pad moved on meanwhile, the save says who changed it since.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from policypad.contrib.django.api import PadApi, PadServerError

logger = logging.getLogger(__name__)
REV_SUFFIX = "__policypad_rev"
"""The hidden input beside an editor: ``<field's html name>__policypad_rev``."""
API_AUTHOR = "a.api"


@dataclass(frozen=True)
class ChangedSince:
    """Others changed the pad after the revision that was saved."""

    saved_rev: int
    head_rev: int
    authors: list[str] = field(default_factory=list)
    """Who changed it, by the names they have here."""

    def __str__(self) -> str:
        who = get_text_list(self.authors, _("and")) if self.authors else _("someone")
        return _(
            "Saved as you saw it (revision %(saved)s). Since then %(who)s changed it "
            "(now revision %(head)s)."
        ) % {"saved": self.saved_rev, "who": who, "head": self.head_rev}


@dataclass(frozen=True)
class SavedVersion:
    """The document to save, and what happened to the pad after it."""

    content: str
    rev: int
    changed_since: ChangedSince | None


def seen_rev(data: Mapping[str, Any], html_name: str) -> int:
    """The revision the user's editor was at when the form was sent.

    Raises ValidationError if the page sent none (its editor never connected).
    """
    raw = data.get(html_name + REV_SUFFIX, "")
    if not (isinstance(raw, str) and raw.isdigit()):
        raise ValidationError(
            _("The live editor had not connected, so nothing was saved. Wait until it "
              "shows your text, then save again."),
            code="policypad_not_connected",
        )  # fmt: skip
    return int(raw)


def saved_version(api: PadApi, pad_id: str, rev: int, format: str) -> SavedVersion:
    """The pad's content at `rev`, and who changed it after. Raises ValidationError if
    the server cannot say (then nothing may be saved)."""
    try:
        head = api.head(pad_id)
        if rev > head:
            raise ValidationError(
                _("The editor reported revision %(rev)s, which the pad does not have yet."),
                code="policypad_future_rev", params={"rev": rev},
            )  # fmt: skip
        content = api.content(pad_id, rev, format)
        # read after the content: a revision stored in between is reported, never missed
        head = api.head(pad_id)
        changed = None
        if head > rev:
            authors = api.authors_since(pad_id, rev + 1)
            changed = ChangedSince(rev, head, names_of(authors))
    except PadServerError as error:
        # the details (the server's address) are for the log, not for the page
        logger.error("pad %s: could not read revision %s: %s", pad_id, rev, error)
        raise ValidationError(
            _("PolicyPad could not be reached, so nothing was saved. Save again."),
            code="policypad_unreachable",
        ) from None
    return SavedVersion(content, rev, changed)


def names_of(authors: list[str]) -> list[str]:
    """The names of the users behind author ids (``a.<user pk>``, as the token view mints
    them), in the same order; ids of no user here are shown as they are."""
    users = get_user_model()
    pks = [author[2:] for author in authors if author.startswith("a.") and author != API_AUTHOR]
    found: dict[str, Any] = {}
    for pk in pks:
        try:
            user = users._default_manager.filter(pk=pk).first()
        except (ValueError, ValidationError):  # not a key of this user model
            user = None
        if user is not None:
            found[pk] = user
    names = []
    for author in authors:
        if author == API_AUTHOR:
            names.append(_("an import or the API"))
        elif author[2:] in found:
            user = found[author[2:]]
            names.append(user.get_full_name() or user.get_username())
        else:
            names.append(author.removeprefix("a."))
    return names
