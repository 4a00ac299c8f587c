"""Structured logs: one line per event, as logfmt-style ``key=value`` text or JSON.

Every line has the time, level, logger and message, plus the fields a caller passes
with ``extra=`` (pad, client, code, reason...). A client's token, and anything the
server is configured with as a secret, is never a field. Lines repeating one message
template faster than `LINES_PER_SECOND` are dropped, and their number reported, so a
flood of bad connections cannot fill a disk.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

LINES_PER_SECOND = 20
"""Most lines a second from one message template (the rest are counted, then reported)."""
_STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}
_FIELDS_ORDER = ("pad", "client", "author", "code", "reason")


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    extra = {key: value for key, value in vars(record).items() if key not in _STANDARD}
    ordered = {key: extra.pop(key) for key in _FIELDS_ORDER if key in extra}
    return {**ordered, **extra}


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class LogfmtFormatter(logging.Formatter):
    """``time=... level=... logger=... message="..." pad=... client=...``"""

    def format(self, record: logging.LogRecord) -> str:
        parts = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        line = " ".join(f"{key}={_logfmt_value(value)}" for key, value in parts.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _logfmt_value(value: Any) -> str:
    text = "" if value is None else str(value)
    if text and not any(char in text for char in ' "=\\\n'):
        return text
    return json.dumps(text)


class QuietClientFaults(logging.Filter):
    """uvicorn logs a client's invalid UTF-8 text frame as an error with a traceback; it is
    the client's fault, answered by closing its connection (1007): one line is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("uvicorn") and str(record.msg).startswith("Invalid UTF-8"):
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


class FloodFilter(logging.Filter):
    """Lets at most `LINES_PER_SECOND` lines a second through per message template."""

    def __init__(self) -> None:
        super().__init__()
        self._windows: dict[tuple[str, str], list[float]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        window = self._windows.get(key)
        if window is None or now - window[0] >= 1:
            if window is not None and window[2] > 0:
                record.msg = f"{record.msg} [{int(window[2])} similar lines dropped]"
            if len(self._windows) > 1000:
                self._windows.clear()
            self._windows[key] = [now, 1, 0]
            return True
        if window[1] < LINES_PER_SECOND:
            window[1] += 1
            return True
        window[2] += 1
        return False


def configure_logging(log_format: str = "text", level: int = logging.INFO) -> None:
    """Send every logger's lines (uvicorn's too) to stderr in `log_format`."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else LogfmtFormatter())
    handler.addFilter(QuietClientFaults())
    handler.addFilter(FloodFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # one line per connection comes from policypad.connection; uvicorn's own access lines
    # for every WebSocket and request would double them
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
