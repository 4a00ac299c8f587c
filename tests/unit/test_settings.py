"""policypad.settings: where each setting comes from, and the combinations refused."""

from __future__ import annotations

import pytest

from policypad.settings import load_settings


def test_the_event_loop_comes_from_the_environment_and_is_checked() -> None:
    assert load_settings(environ={}).event_loop == "auto"
    chosen = load_settings(environ={"POLICYPAD_EVENT_LOOP": "asyncio"})
    assert chosen.event_loop == "asyncio"
    chosen.check()
    with pytest.raises(ValueError, match="event_loop must be auto, asyncio or uvloop"):
        load_settings(environ={"POLICYPAD_EVENT_LOOP": "trio"}).check()
