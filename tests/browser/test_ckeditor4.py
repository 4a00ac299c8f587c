"""CKEditor 4 on a pad, in real Chromium through the demo page: people typing into one
paragraph, the toolbar (bold, list, heading, link, a table cell) while another types, the
caret under remote edits, undo of one's own changes (button and keys), typing offline,
paste of Word HTML, and no normalization edits once everyone stops (frame_editing.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.browser import frame_editing as scenario
from tests.browser.conftest import Pads
from tests.browser.editing import converge, wait_until
from tests.support.server import ServerProcess


def button(page: Any, name: str) -> None:
    page.click(f"a.cke_button__{name}")


def heading(page: Any, level: int) -> None:
    page.click(".cke_combo__format a.cke_combo_button")
    page.frame_locator("iframe.cke_panel_frame").locator(f'a[title="Heading {level}"]').click()


def link(page: Any, url: str) -> None:
    button(page, "link")
    # the dialog's first field is "Display Text"; the address goes into "URL"
    field = page.locator(".cke_dialog_body").get_by_label(re.compile(r"^URL"))
    field.fill(url)
    page.click(".cke_dialog_ui_button_ok")
    wait_until(lambda: not page.locator(".cke_dialog_body").is_visible(), what="the dialog closed")


CKEDITOR4 = scenario.Toolbar(
    editor="ckeditor4",
    frame="iframe.cke_wysiwyg_frame",
    undo=lambda page: button(page, "undo"),
    bold=lambda page: button(page, "bold"),
    bullets=lambda page: button(page, "bulletedlist"),
    heading=heading,
    link=link,
)


def test_three_people_type_in_one_paragraph(pads: Pads, server_text: Callable[[str], str]) -> None:
    scenario.three_people_type_in_one_paragraph(pads, CKEDITOR4, server_text)


def test_two_people_type_at_the_same_place(pads: Pads, server_text: Callable[[str], str]) -> None:
    scenario.two_people_type_at_the_same_place(pads, CKEDITOR4, server_text)


def test_toolbar_formatting_while_another_types(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    scenario.formatting_while_another_types(pads, server, CKEDITOR4, server_text)


def test_caret_stays_in_place_under_remote_edits(
    pads: Pads, server_text: Callable[[str], str]
) -> None:
    scenario.caret_stays_in_place_under_remote_edits(pads, CKEDITOR4, server_text)


def test_undo_takes_back_only_own_changes(pads: Pads, server_text: Callable[[str], str]) -> None:
    scenario.undo_takes_back_only_own_changes(pads, CKEDITOR4, server_text)


def test_typing_offline_is_delivered_once(pads: Pads, server_text: Callable[[str], str]) -> None:
    scenario.typing_offline_is_delivered_once(pads, CKEDITOR4, server_text)


def test_paste_of_word_html(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    scenario.paste_of_word_html(pads, server, CKEDITOR4, server_text)


def test_editing_goes_on_after_set_data(pads: Pads, server_text: Callable[[str], str]) -> None:
    """setData replaces the editor's body: the adapter follows it, and what the new body
    holds is sent as an edit."""
    pad_id, (ann, ben) = scenario.open_pad(pads, CKEDITOR4, ["Ann", "Ben"])
    ann.evaluate(
        """() => new Promise((resolve) => window.policypad.adapter.editor.setData(
          '<p>Replaced.</p><p>A second line.</p>', {callback: resolve}))"""
    )
    assert converge([ann, ben], lambda: server_text(pad_id)) == ("Replaced.\nA second line.\n")
    scenario.caret_to(ann, CKEDITOR4, 0, len("Replaced"))
    ann.keyboard.type(" again")
    assert converge([ann, ben], lambda: server_text(pad_id)) == (
        "Replaced again.\nA second line.\n"
    )
