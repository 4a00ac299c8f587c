"""load_hook: a host's image store named in the settings, loaded or refused at start."""

from __future__ import annotations

import pytest

from policypad.images import load_hook
from policypad.settings import Settings


def test_a_hook_is_loaded_by_name() -> None:
    hook = load_hook("tests.support.image_hook:store")
    assert hook.__name__ == "store"
    for name, problem in [
        ("tests.support.image_hook", "package.module:function"),
        ("tests.support.no_such_module:store", "cannot import"),
        ("tests.support.image_hook:missing", "has no function"),
        ("tests.support.image_hook:blocking_store", "must be an async function"),
    ]:
        with pytest.raises(ValueError, match=problem):
            load_hook(name)


def test_the_server_refuses_to_start_with_a_hook_that_does_not_load() -> None:
    with pytest.raises(ValueError, match="must be an async function"):
        Settings(image_store="tests.support.image_hook:blocking_store").check()
    Settings(image_store="tests.support.image_hook:store").check()
