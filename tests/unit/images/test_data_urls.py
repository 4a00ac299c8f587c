"""decode_data_url: data: URLs as browsers read them; the claimed type is ignored."""

from __future__ import annotations

import base64

import pytest

from policypad.errors import ImageRefused
from policypad.images.data_urls import decode_data_url, is_data_url
from tests.support import images


def test_base64_with_whitespace_and_no_padding() -> None:
    data = images.gif()
    encoded = base64.b64encode(data).decode().rstrip("=")
    spaced = " \n".join(encoded[i : i + 10] for i in range(0, len(encoded), 10))
    assert decode_data_url(f"DATA:image/PNG ; Base64,{spaced}") == data


def test_percent_encoded_data_and_a_claim_that_is_ignored() -> None:
    assert decode_data_url("data:image/png,%3Csvg%3E") == b"<svg>"
    assert decode_data_url("data:,plain") == b"plain"


@pytest.mark.parametrize(
    "url", ["data:image/png;base64", "data:image/png;base64,abcde", "data:image/png;base64,a*b=",
            "http://example.com/a.png"],
)  # fmt: skip
def test_what_cannot_be_decoded_is_refused(url: str) -> None:
    with pytest.raises(ImageRefused) as caught:
        decode_data_url(url)
    assert caught.value.code == "bad_data_url"


def test_is_data_url_reads_as_a_browser_does() -> None:
    assert is_data_url(" d\tata:image/png;base64,") and is_data_url("Data:x")
    assert not is_data_url("/data:x") and not is_data_url("https://data.example/")
