"""Two people edit one policy in a Django site, in real Chromium: the test site
(tests/django_host, under `python -m django runserver`) on one origin, `policypad serve` on
another, django-tinymce's TinyMCE bound to the pad by policypad.contrib.django.

Both type, both save: every save stores the pad's content at the revision its saver had
seen; a save that others' edits overtook says so and offers the newer version; in the end
no edit is missing from the stored field.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.browser.editing import wait_until
from tests.support.server import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "django-browser-secret-long-enough-to-sign"
API_KEY = "django-browser-api-key-long-enough-to-use"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
PAD = "policies.policy.1.body"
SEED = """
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
call_command("migrate", run_syncdb=True, verbosity=0)
from tests.django_host.policies.models import Policy
change = Permission.objects.get(codename="change_policy")
for username, first, last in (("ann", "Ann", "Lee"), ("bob", "Bob", "Roy")):
    user = User.objects.create_user(username, password="pw", first_name=first, last_name=last)
    user.user_permissions.add(change)
Policy.objects.create(pk=1, title="Remote work",
                      body="<h2>Remote work</h2><p>Staff may work from home.</p>")
"""
SESSION = "document.querySelector('[data-policypad]').policypadSession"
EDITOR = "iframe.tox-edit-area__iframe"


class DjangoSite:
    """The test site under `python -m django runserver` on a port of its own, in SQLite."""

    def __init__(self, workdir: Path, pad_server: str, port: int) -> None:
        self.db = workdir / "site.sqlite3"
        self.port = port
        self.log = workdir / "runserver.log"
        self.env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "tests.django_host.settings",
            "POLICYPAD_TEST_DJANGO_DB": str(self.db), "POLICYPAD_TEST_DJANGO_DEBUG": "1",
            "POLICYPAD_TEST_SERVER": pad_server, "POLICYPAD_TEST_SECRET": SECRET,
            "POLICYPAD_TEST_API_KEY": API_KEY, "PYTHONPATH": str(ROOT),
        }  # fmt: skip
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "django", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}",
                 "--noreload"], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if httpx.get(f"{self.origin}/login/", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"runserver did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def stored_body(self) -> str:
        with sqlite3.connect(self.db) as connection:
            [(body,)] = connection.execute("SELECT body FROM policies_policy WHERE id = 1")
        return str(body)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, bundles: None) -> Iterator[DjangoSite]:
    port = free_port()
    pad_server = ServerProcess(
        tmp_path_factory.mktemp("django-pads"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY,
             "POLICYPAD_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"},
    ).start()  # fmt: skip
    django_site = DjangoSite(tmp_path_factory.mktemp("django-site"), pad_server.http, port)
    django_site.pad_server = pad_server  # type: ignore[attr-defined]
    try:
        django_site.manage("shell", "-c", SEED)
        imported = django_site.manage("policypad_import", "policies.Policy", "body")
        assert "1/1 rows: 1 pads created" in imported
        django_site.start()
        yield django_site
    finally:
        django_site.stop()
        pad_server.stop()


def pad_content(site: DjangoSite, rev: int | None = None) -> str:
    query = "" if rev is None else f"?rev={rev}"
    server = site.pad_server.http  # type: ignore[attr-defined]
    response = httpx.get(f"{server}/api/pads/{PAD}/content{query}", headers=AUTH)
    assert response.status_code == 200, response.text
    return str(response.json()["html"])


class Person:
    """One user's browser: logs in, opens the policy's edit form, types in TinyMCE, saves."""

    def __init__(
        self, browser: Any, site: DjangoSite, username: str, errors: list[str],
        form: str = "/policies/1/edit/",
    ) -> None:  # fmt: skip
        self.site = site
        self.context = browser.new_context(viewport={"width": 1000, "height": 800})
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: errors.append(f"{username}: {error}"))
        self.posted: list[dict[str, list[str]]] = []
        self.page.on("request", self._record)
        self.page.goto(f"{site.origin}/login/?next={form}")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", "pw")
        self.page.click("#login")
        self.wait_attached()

    def _record(self, request: Any) -> None:
        if request.method == "POST" and urlsplit(request.url).path.startswith("/policies/1/edit"):
            self.posted.append(parse_qs(request.post_data or ""))

    def wait_attached(self) -> None:
        self.page.wait_for_selector("[data-policypad-ready=true]")

    def type_after(self, selector: str, text: str) -> None:
        """Click into the block `selector` in TinyMCE, go to its end and type."""
        self.page.frame_locator(EDITOR).locator(selector).first.click()
        self.page.keyboard.press("End")
        self.page.keyboard.type(text)

    def shown(self) -> str:
        return str(self.page.frame_locator(EDITOR).locator("body").inner_text())

    def synced(self) -> bool:
        return bool(self.page.evaluate(f"{SESSION}.status === 'saved'"))

    def rev(self) -> int:
        return int(self.page.evaluate(f"{SESSION}.rev"))

    def saved_rev(self) -> int:
        """The revision the last form sent said its editor was at."""
        return int(self.posted[-1]["body__policypad_rev"][0])


def test_two_users_edit_one_policy_and_save(browser: Any, site: DjangoSite) -> None:
    errors: list[str] = []
    ann = Person(browser, site, "ann", errors)
    bob = Person(browser, site, "bob", errors)
    assert "Staff may work from home." in ann.shown()
    ann.type_after("p", " Ann adds this.")
    bob.type_after("h2", " (draft)")
    for person in (ann, bob):
        wait_until(lambda p=person: "Ann adds this." in p.shown() and "(draft)" in p.shown()
                   and p.synced(), what="both edits in both editors")  # fmt: skip

    # Ann saves: what she saw, which holds both edits; no warning, on to the policy
    with ann.page.expect_navigation(url=f"{site.origin}/policies/1/"):
        ann.page.click("#save")
    seen = ann.saved_rev()
    assert site.stored_body() == pad_content(site, seen)
    assert "Ann adds this." in site.stored_body() and "(draft)" in site.stored_body()

    # Bob types and saves; Ann types again while Bob's form is on its way
    ann.page.goto(f"{site.origin}/policies/1/edit/")
    ann.wait_attached()
    bob.type_after("p", " Bob again.")

    def ann_types_first(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        ann.type_after("p", " Ann late.")
        wait_until(lambda: "Ann late." in pad_content(site), what="Ann's late edit stored")
        route.continue_()

    bob.page.route("**/policies/1/edit/", ann_types_first)
    with bob.page.expect_navigation():
        bob.page.click("#save")
    bob.page.unroute("**/policies/1/edit/")
    bob_seen = bob.saved_rev()
    warning = bob.page.locator(".policypad-changed-since")
    assert warning.is_visible()
    assert "Since then Ann Lee changed it" in warning.inner_text()
    assert site.stored_body() == pad_content(site, bob_seen)
    assert "Bob again." in site.stored_body() and "Ann late." not in site.stored_body()

    # Bob takes the newer version: the page's editor is attached again, at the head
    bob.wait_attached()
    wait_until(lambda: "Ann late." in bob.shown() and bob.synced(), what="Bob sees Ann's edit")
    with bob.page.expect_navigation(url=f"{site.origin}/policies/1/"):
        bob.page.click(".policypad-save-newer")
    final = bob.saved_rev()
    assert final > bob_seen
    stored = site.stored_body()
    assert stored == pad_content(site, final) == pad_content(site)
    for edit in ("Ann adds this.", "(draft)", "Bob again.", "Ann late."):
        assert edit in stored, edit
    assert errors == []
    for person in (ann, bob):
        person.context.close()


def test_a_save_right_after_typing_waits_until_the_pad_has_the_edits(
    browser: Any, site: DjangoSite
) -> None:
    """The plain textarea form; the pad server is paused, so the edit cannot be stored
    when Save is clicked: the page holds the form until it is, and it is in what is saved."""
    errors: list[str] = []
    ann = Person(browser, site, "ann", errors, form="/policies/1/edit-plain/")
    pad_server = site.pad_server.process  # type: ignore[attr-defined]
    ann.page.click("#id_body")
    ann.page.keyboard.press("Control+End")
    os.kill(pad_server.pid, signal.SIGSTOP)
    try:
        ann.page.keyboard.type(" Typed just before saving.")
        ann.page.click("#save")
        time.sleep(0.5)
        assert ann.page.url.endswith("/policies/1/edit-plain/")
        assert ann.page.evaluate("document.forms[0].dataset.policypadWaiting") == "true"
        assert ann.posted == []
    finally:
        os.kill(pad_server.pid, signal.SIGCONT)
    ann.page.wait_for_url(f"{site.origin}/policies/1/")
    stored = site.stored_body()
    assert stored == pad_content(site, ann.saved_rev())
    assert "Typed just before saving." in stored
    assert errors == []
    ann.context.close()
