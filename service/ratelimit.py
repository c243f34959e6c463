"""Per-client rate limits: a token bucket per API key (or, without keys, per client address),
shared by the worker processes of one instance through a small SQLite file; or, with Redis
configured, a moving window of the bucket's size shared by every replica (`SharedRateLimiter`).

Each bucket holds up to `burst` tokens and gains `rate` a second; a request takes one, and a
request that finds none is refused (429) with the seconds until the next token. The buckets
live in SQLite because the workers are processes: its write lock makes each take-a-token
atomic across them, and the file sits on the instance's own disk (a temporary directory made
by `careerpath serve`), so nothing is shared between instances. The rate-limiting libraries
on PyPI count sliding-window logs (a row per request) or need Redis; this is the token bucket
the configuration speaks of, in one statement per request. Behind a load balancer, replicas
must share their counts, or a client gets its limit once per replica: there the `limits`
library counts in Redis."""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limit:
    rate: float  # tokens a second
    burst: int  # the bucket's size

    @classmethod
    def parse(cls, text: str) -> Limit:
        """"10/20": 10 a second, bursts of 20 ("10" alone: bursts of 10)."""
        rate, _, burst = text.partition("/")
        try:
            limit = cls(float(rate), int(burst) if burst else max(1, math.ceil(float(rate))))
        except ValueError:
            raise ValueError(f"rate limit {text!r}: write RATE or RATE/BURST, e.g. 10/20") from None
        if limit.rate <= 0 or limit.burst < 1:
            raise ValueError(f"rate limit {text!r}: the rate and the burst must be positive")
        return limit


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: Limit
    remaining: int  # whole tokens left
    retry_after: float  # seconds until a token is there (0 when allowed)

    def headers(self) -> dict[str, str]:
        """The IETF RateLimit fields: the bucket, what is left, and when it is full again."""
        full_in = (self.limit.burst - self.remaining) / self.limit.rate
        window = math.ceil(self.limit.burst / self.limit.rate)
        return {"RateLimit-Limit": str(self.limit.burst),
                "RateLimit-Remaining": str(self.remaining),
                "RateLimit-Reset": str(math.ceil(self.retry_after or full_in)),
                "RateLimit-Policy": f"{self.limit.burst};w={window}"}


_TAKE = """
INSERT INTO buckets (client, tokens, updated) VALUES (:client, :burst - 1, :now)
ON CONFLICT (client) DO UPDATE SET
    tokens = MIN(:burst, tokens + (:now - updated) * :rate) - 1,
    updated = :now
WHERE MIN(:burst, tokens + (:now - updated) * :rate) >= 1
RETURNING tokens
"""
_PEEK = "SELECT MIN(:burst, tokens + (:now - updated) * :rate) FROM buckets WHERE client = :client"


class RateLimiter:
    """`limits`: per client; `default`: everyone else's."""

    def __init__(self, path: Path, default: Limit, limits: dict[str, Limit] | None = None) -> None:
        self.default = default
        self.limits = limits or {}
        self._local = threading.local()
        self.path = Path(path)
        with self._connection() as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS buckets (client TEXT PRIMARY KEY, "
                               "tokens REAL NOT NULL, updated REAL NOT NULL)")

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")  # counts, not data: a crash may reset
            self._local.connection = connection
        return connection

    def take(self, client: str) -> Decision:
        """Take one token from the client's bucket, if it has one."""
        limit = self.limits.get(client, self.default)
        values = {"client": client, "burst": limit.burst, "rate": limit.rate,
                  "now": time.time()}
        connection = self._connection()
        taken = connection.execute(_TAKE, values).fetchone()
        if taken is not None:
            return Decision(True, limit, int(taken[0]), 0.0)
        (tokens,) = connection.execute(_PEEK, values).fetchone()
        return Decision(False, limit, 0, max(0.0, (1 - tokens) / limit.rate))


class SharedRateLimiter:
    """The limits of `RateLimiter`, counted in Redis for every replica: a client may send
    `burst` requests in any window of `burst / rate` seconds (the `RateLimit-Policy` the
    buckets announce)."""

    def __init__(self, redis_url: str, default: Limit, limits: dict[str, Limit] | None = None
                 ) -> None:
        from limits import RateLimitItemPerSecond
        from limits.storage import RedisStorage
        from limits.strategies import MovingWindowRateLimiter

        self.default = default
        self.limits = limits or {}
        self._window = MovingWindowRateLimiter(RedisStorage(redis_url))
        self._items = {limit: RateLimitItemPerSecond(limit.burst,
                                                     math.ceil(limit.burst / limit.rate),
                                                     namespace="careerpath")
                       for limit in {default, *self.limits.values()}}

    def take(self, client: str) -> Decision:
        """Count one request of the client's, if its window has room."""
        limit = self.limits.get(client, self.default)
        item = self._items[limit]
        allowed = self._window.hit(item, client)
        stats = self._window.get_window_stats(item, client)
        wait = 0.0 if allowed else max(0.0, stats.reset_time - time.time())
        return Decision(allowed, limit, stats.remaining, wait)
