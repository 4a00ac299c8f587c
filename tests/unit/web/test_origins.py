"""policypad.web.origins: which pages may use the server."""

from __future__ import annotations

from policypad.settings import Settings
from policypad.web.origins import normalized_origin, origin_allowed

OPEN = Settings()
SECURED = Settings(secret="s" * 32, api_key="k" * 32, allowed_origins=("https://app.example",))


def test_no_origin_is_not_a_browser_and_passes() -> None:
    assert origin_allowed(None, "pads.example", SECURED)


def test_the_servers_own_pages_pass() -> None:
    assert origin_allowed("https://pads.example", "pads.example", SECURED)
    assert origin_allowed("http://127.0.0.1:9001", "127.0.0.1:9001", SECURED)


def test_listed_origins_pass_and_others_do_not() -> None:
    assert origin_allowed("https://APP.example/", "pads.example", SECURED)
    assert not origin_allowed("https://app.example.evil", "pads.example", SECURED)
    assert not origin_allowed("http://app.example", "pads.example", SECURED)
    assert not origin_allowed("null", "pads.example", SECURED)
    assert not origin_allowed("http://localhost:3000", "pads.example", SECURED)


def test_an_open_server_also_lets_loopback_pages_in() -> None:
    assert origin_allowed("http://localhost:3000", "127.0.0.1:9001", OPEN)
    assert origin_allowed("http://[::1]:8080", "127.0.0.1:9001", OPEN)
    assert not origin_allowed("http://evil.example", "127.0.0.1:9001", OPEN)


def test_normalized_origin() -> None:
    assert normalized_origin("HTTPS://A.Example:8443") == "https://a.example:8443"
    assert normalized_origin("https://a.example/path") is None
    assert normalized_origin("ftp://a.example") is None
    assert normalized_origin("http://a.example:99999") is None
