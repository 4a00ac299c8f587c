"""The Django tests: Django set up on tests/django_host/settings.py, its test database, and a
real `policypad serve` (with a secret and an API key) that the integration talks to."""

from __future__ import annotations

import asyncio
import html as htmllib
import json
import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

import django
import httpx
import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.django_host.settings")
django.setup()

from django.conf import settings  # noqa: E402 (after django.setup())
from django.contrib.auth.models import Permission, User  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

from policypad.contrib.django.conf import DEFAULT_PAD_ID  # noqa: E402
from policypad.contrib.django.pads import pad_id  # noqa: E402
from tests.django_host.policies.models import Policy  # noqa: E402
from tests.support.padclient import PadClient  # noqa: E402
from tests.support.server import ServerProcess, free_port  # noqa: E402

SECRET = "django-tests-secret-long-enough-to-sign"
API_KEY = "django-tests-api-key-long-enough-to-use"


@pytest.fixture(scope="session")
def pad_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("django-pad-server"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY},
    ).start()
    yield process
    process.stop()


@pytest.fixture(scope="session", autouse=True)
def django_site(pad_server: ServerProcess) -> Iterator[None]:
    """Django's test environment and database, with POLICYPAD pointing at the server."""
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    settings = override_settings(
        POLICYPAD={"SERVER": pad_server.http, "SECRET": SECRET, "API_KEY": API_KEY}
    )
    settings.enable()
    yield
    settings.disable()
    teardown_databases(databases, verbosity=0)
    teardown_test_environment()


@pytest.fixture(autouse=True)
def rolled_back() -> Iterator[None]:
    """Each test's rows are rolled back, as in Django's TestCase."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


AUTH = {"Authorization": f"Bearer {API_KEY}"}


def unreachable() -> dict[str, str]:
    """POLICYPAD settings naming a server that is not there (API_URL: as the back end would
    reach it, an address its pages never show)."""
    return {"SERVER": f"http://127.0.0.1:{free_port()}", "API_URL": f"http://[::1]:{free_port()}",
            "SECRET": SECRET, "API_KEY": API_KEY}  # fmt: skip


class Site:
    """The host site's users and policies, and the pad server behind them."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server

    def user(self, username: str, *perms: str, full_name: str = "") -> User:
        first, _, last = full_name.partition(" ")
        user = User.objects.create_user(username, password="pw", first_name=first, last_name=last)
        for perm in perms:
            user.user_permissions.add(Permission.objects.get(codename=perm))
        return user

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def policy(self, body: str = "<p>Staff may work from home.</p>") -> Policy:
        return Policy.objects.create(title="Remote work", body=body)

    def pad_of(self, policy: Policy) -> str:
        """The id of the pad of the policy's body."""
        return pad_id(Policy, policy.pk, "body")

    def pad(self, pad_id: str) -> dict[str, Any]:
        response = httpx.get(f"{self.server.http}/api/pads/{pad_id}", headers=AUTH)
        assert response.status_code == 200, response.text
        return response.json()

    def content(self, pad_id: str, rev: int | None = None, format: str = "html") -> str:
        query = f"?format={format}" + ("" if rev is None else f"&rev={rev}")
        response = httpx.get(f"{self.server.http}/api/pads/{pad_id}/content{query}", headers=AUTH)
        assert response.status_code == 200, response.text
        return response.json()[format]

    def grant(self, client: Any, page: str) -> dict[str, Any]:
        """What the widget's script gets from the token view, given the edit page."""
        found = re.search(r'data-policypad="([^"]+)"', page)
        assert found is not None, page
        config = json.loads(htmllib.unescape(found.group(1)))
        response = client.get(config["tokenUrl"])
        assert response.status_code == 200, response.content
        return response.json()

    def type(self, token: str, pad_id: str, text: str) -> int:
        """Add `text` at the end of the pad's first line as that token's user; the new rev."""

        async def typing() -> int:
            client = PadClient(self.server.ws, pad_id, token=token)
            await client.connect()
            end = client.text.index("\n")
            await client.splice(end, 0, text)
            await client.wait_until(lambda: client.idle)
            await client.close()
            return client.rev

        return asyncio.run(typing())


@pytest.fixture
def site(pad_server: ServerProcess) -> Iterator[Site]:
    # rolled-back rows give their primary keys again, while pads stay on the server: each
    # test has pad ids of its own
    template = f"t{uuid.uuid4().hex[:8]}.{DEFAULT_PAD_ID}"
    with override_settings(POLICYPAD={**settings.POLICYPAD, "PAD_ID": template}):
        yield Site(pad_server)
