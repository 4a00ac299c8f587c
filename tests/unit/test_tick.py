"""policypad.hub.tick_seconds: a busy pad's tick grows with its sessions, within bounds."""

from __future__ import annotations

from policypad.hub import MAX_TICK_SECONDS, TICK_SECONDS, tick_seconds


def test_the_tick_grows_with_the_sessions_between_its_bounds() -> None:
    assert tick_seconds(51) == TICK_SECONDS == 0.02
    assert tick_seconds(100) == TICK_SECONDS
    assert abs(tick_seconds(200) - 0.03) < 1e-9
    assert tick_seconds(400) > tick_seconds(300) > tick_seconds(200)
    assert tick_seconds(500) == tick_seconds(5000) == MAX_TICK_SECONDS == 0.05
