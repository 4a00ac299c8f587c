"""Image access tokens: one pad, a bounded time, a key of their own."""

from __future__ import annotations

from policypad.images.access import PERIOD_SECONDS, image_token, image_token_valid
from policypad.tokens import mint

SECRET = "s" * 32
NOW = 1_800_000_123.0


def test_a_token_reads_its_pad_for_one_to_two_periods() -> None:
    token = image_token(SECRET, "pad-1", NOW)
    assert image_token_valid(SECRET, "pad-1", token, NOW)
    assert image_token_valid(SECRET, "pad-1", token, NOW + PERIOD_SECONDS)
    assert not image_token_valid(SECRET, "pad-1", token, NOW + 2 * PERIOD_SECONDS)


def test_sessions_of_one_period_get_the_same_token() -> None:
    """So the URLs an editor shows (and the browser's cache) stay the same."""
    start = (int(NOW) // PERIOD_SECONDS) * PERIOD_SECONDS
    assert image_token(SECRET, "p", start) == image_token(SECRET, "p", start + PERIOD_SECONDS - 1)
    assert image_token(SECRET, "p", start) != image_token(SECRET, "p", start + PERIOD_SECONDS)


def test_a_token_is_for_its_pad_and_its_secret_only() -> None:
    token = image_token(SECRET, "pad-1", NOW)
    assert not image_token_valid(SECRET, "pad-2", token, NOW)
    assert not image_token_valid("t" * 32, "pad-1", token, NOW)
    expires, _, mac = token.partition(".")
    later = str(int(expires) + PERIOD_SECONDS)
    assert not image_token_valid(SECRET, "pad-1", f"{later}.{mac}", NOW)
    for forged in ("", ".", "x.y", f"{expires}.", f"{expires}", "9" * 40 + ".a"):
        assert not image_token_valid(SECRET, "pad-1", forged, NOW)


def test_a_pad_token_is_no_image_token() -> None:
    jwt = mint(SECRET, "u1", pad="pad-1", perm="read", now=NOW)
    assert not image_token_valid(SECRET, "pad-1", jwt, NOW)
