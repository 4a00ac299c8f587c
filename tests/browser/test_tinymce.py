"""TinyMCE 6 on a pad, in real Chromium through the demo page: people typing into one
paragraph, the toolbar (bold, list, heading, link, a table cell) while another types, the
caret under remote edits, undo of one's own changes (button and keys), typing offline,
paste of Word HTML, and no normalization edits once everyone stops (frame_editing.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.browser import frame_editing as scenario
from tests.browser.conftest import Pads
from tests.support.server import ServerProcess


def button(page: Any, label: str) -> None:
    page.click(f'.tox-toolbar__group button[aria-label="{label}"]')


def heading(page: Any, level: int) -> None:
    page.click('.tox-toolbar__group button[aria-label^="Block"]')
    page.get_by_role("menuitemcheckbox", name=f"Heading {level}").click()


def link(page: Any, url: str) -> None:
    button(page, "Insert/edit link")
    page.locator(".tox-dialog input[type=url]").fill(url)
    page.locator(".tox-dialog button", has_text="Save").click()
    page.wait_for_selector(".tox-dialog", state="detached")


TINYMCE = scenario.Toolbar(
    editor="tinymce",
    frame="iframe.tox-edit-area__iframe",
    undo=lambda page: button(page, "Undo"),
    bold=lambda page: button(page, "Bold"),
    bullets=lambda page: button(page, "Bullet list"),
    heading=heading,
    link=link,
)


def test_three_people_type_in_one_paragraph(pads: Pads, server_text: Callable[[str], str]) -> None:
    scenario.three_people_type_in_one_paragraph(pads, TINYMCE, server_text)


def test_two_people_type_at_the_same_place(pads: Pads, server_text: Callable[[str], str]) -> None:
    scenario.two_people_type_at_the_same_place(pads, TINYMCE, server_text)


def test_toolbar_formatting_while_another_types(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    scenario.formatting_while_another_types(pads, server, TINYMCE, server_text)


def test_caret_stays_in_place_under_remote_edits(
    pads: Pads, server_text: Callable[[str], str]
) -> None:
    scenario.caret_stays_in_place_under_remote_edits(pads, TINYMCE, server_text)


def test_undo_takes_back_only_own_changes(pads: Pads, server_text: Callable[[str], str]) -> None:
    scenario.undo_takes_back_only_own_changes(pads, TINYMCE, server_text)


def test_typing_offline_is_delivered_once(pads: Pads, server_text: Callable[[str], str]) -> None:
    scenario.typing_offline_is_delivered_once(pads, TINYMCE, server_text)


def test_paste_of_word_html(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    scenario.paste_of_word_html(pads, server, TINYMCE, server_text)
