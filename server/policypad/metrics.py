"""The server's Prometheus metrics (served at /metrics), defined once.

Names follow Prometheus conventions: a `policypad_` prefix, base units (seconds), and
`_total` on counters. Nothing here carries a pad's content, a token or a client id.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

SESSIONS = Gauge("policypad_sessions", "Client sessions joined to a pad now")
CONNECTIONS = Gauge("policypad_connections", "WebSocket connections open now (joined or not)")
PADS_OPEN = Gauge("policypad_pads_open", "Pads loaded in this process")
COMMITS_STORED = Counter("policypad_commits_stored_total", "Revisions stored and published")
COMMITS_FORWARDED = Counter(
    "policypad_commits_forwarded_total", "Client commits sent to the pad's owning process"
)
COMMIT_LATENCY = Histogram(
    "policypad_commit_latency_seconds",
    "From a commit's rebase to its revision being stored and sent to every session",
    buckets=_LATENCY_BUCKETS,
)
BROADCAST_LATENCY = Histogram(
    "policypad_broadcast_latency_seconds",
    "From a message queued for a session to its frame written to the socket (a frame "
    "written at once, to a client with nothing queued, is not counted)",
    buckets=_LATENCY_BUCKETS,
)
REBASE_DEPTH = Histogram(
    "policypad_rebase_depth",
    "Revisions a commit is rebased over (how far behind its author was)",
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
)
STORAGE_LATENCY = Histogram(
    "policypad_storage_latency_seconds",
    "Time of one group-commit transaction",
    buckets=_LATENCY_BUCKETS,
)
STORAGE_FAILURES = Counter(
    "policypad_storage_failures_total", "Revision writes that failed (the hub reloaded)"
)
ERRORS = Counter("policypad_errors_total", "Error messages sent to clients, by code", ["code"])
FRAMES_REJECTED = Counter(
    "policypad_frames_rejected_total",
    "Frames refused before any handling (too large, not JSON, not a message)",
)
PRESENCE_HELD = Counter(
    "policypad_presence_held_total", "Presence updates held back by the per-session throttle"
)
CLOSED = Counter(
    "policypad_connections_closed_total", "Connections closed by the server, by reason", ["reason"]
)
