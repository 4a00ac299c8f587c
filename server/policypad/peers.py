"""The users of a pad who are connected to other server processes.

Each process announces its own: a user joining or leaving at once, and every few
seconds the whole list of a pad (so a process that started late, or missed a message,
learns them). A process that stops announcing (it was killed) has its users leave after
`ttl_seconds`. The local sessions are told of every change as if it were local::

    process B: {"type": "users", "process": "b1", "users": [...]} ─> Redis ─> process A
    process A: user-joined / user-left to its own sessions, for the difference
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any, Protocol


class _Receiver(Protocol):
    def send(self, message: dict[str, Any] | str) -> None: ...


class Peers:
    """Other processes' users of one pad: public id -> their user-list entry (JSON)."""

    def __init__(self, ttl_seconds: float = 30.0) -> None:
        self.ttl_seconds = ttl_seconds
        self._by_process: dict[str, tuple[float, dict[str, str]]] = {}

    def entries(self) -> list[str]:
        """Every remote user's entry, serialized, for a `joined` message."""
        return [entry for _, users in self._by_process.values() for entry in users.values()]

    def hear(self, message: dict[str, Any], sessions: Iterable[_Receiver]) -> None:
        """Take another process's announcement; tell `sessions` what changed."""
        process = str(message.get("process"))
        _, users = self._by_process.get(process, (0.0, {}))
        users = dict(users)
        kind = message["type"]
        if kind == "user-joined":
            changed = {message["user"]["clientId"]: json.dumps(message["user"])}
            users.update(changed)
            gone: list[str] = []
        elif kind == "user-left":
            gone = [message["clientId"]] if message["clientId"] in users else []
            changed = {}
            users.pop(message["clientId"], None)
        else:  # "users": the whole list
            listed = {user["clientId"]: json.dumps(user) for user in message["users"]}
            changed = {key: entry for key, entry in listed.items() if key not in users}
            gone = [key for key in users if key not in listed]
            users = listed
        self._by_process[process] = (time.monotonic(), users)
        self._tell(sessions, changed, gone)

    def expire(self, sessions: Iterable[_Receiver]) -> None:
        """Forget the users of processes not heard of for `ttl_seconds`."""
        now = time.monotonic()
        for process, (heard, users) in list(self._by_process.items()):
            if now - heard > self.ttl_seconds:
                del self._by_process[process]
                self._tell(sessions, {}, list(users))

    @staticmethod
    def _tell(sessions: Iterable[_Receiver], joined: dict[str, str], gone: list[str]) -> None:
        messages = [f'{{"type": "user-joined", "user": {entry}}}' for entry in joined.values()]
        messages += [json.dumps({"type": "user-left", "clientId": key}) for key in gone]
        if not messages:
            return
        for session in list(sessions):
            for message in messages:
                session.send(message)
