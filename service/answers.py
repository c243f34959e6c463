"""Answers kept for the next request about the same posting.

A job board renders one posting many times (its page, search results, the apply page) and asks
every endpoint about the same text. An answer depends only on the bundle version, the endpoint
and what the request says (its known fields and the terms a JobPosting states; not the fields
careerpath ignores), so it is kept under a digest of those and handed back unchanged: a bundle
switch changes the version and with it every key. Each worker keeps recent answers in memory,
bounded in bytes; with `CAREERPATH_REDIS_URL` set, workers and replicas also share them through
Redis, which evicts by its own `maxmemory-policy`. A cache that fails is skipped, never an error:
the answer is then computed as without it."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, TypeVar

from cachetools import LRUCache
from pydantic import BaseModel

from runtime.schemas import Posting
from service.scheduler import Inference

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)
A = TypeVar("A", bound=BaseModel)
P = TypeVar("P", bound=Posting)


def answer_key(endpoint: str, version: str, request: Posting) -> str:
    """The digest of what an answer depends on."""
    content = json.dumps([endpoint, version, request.known(), asdict(request.stated)],
                         sort_keys=True, default=sorted)
    return hashlib.blake2b(content.encode(), digest_size=20).hexdigest()


class AnswerCache:
    """Recent answers of this worker (`max_bytes` of their JSON, which is what is kept: a
    parsed answer takes several times its JSON's memory, and a bound on the wrong size does
    not bound the process), and of every worker sharing `shared` (a Redis client), where they
    stay `shared_ttl` seconds. A kept answer is parsed again when asked for (about 0.1 ms)."""

    def __init__(self, max_bytes: int, shared: Redis | None = None,
                 shared_ttl: int = 86_400, on_lookup: Callable[[str], None] | None = None
                 ) -> None:
        self._local: LRUCache[str, bytes] = LRUCache(max_bytes, getsizeof=len)
        self._shared = shared
        self._shared_ttl = shared_ttl
        self._on_lookup = on_lookup or (lambda outcome: None)

    async def answer(self, endpoint: str, version: str, request: Posting, kind: type[A],
                     compute: Callable[[], Awaitable[A]]) -> A:
        """The kept answer to `request`, else `compute()`'s, which is then kept."""
        key = f"careerpath:answer:{answer_key(endpoint, version, request)}"
        if (kept := self._local.get(key)) is not None:
            self._on_lookup("local")
            return kind.model_validate_json(kept)
        if (shared := await self._shared_get(key)) is not None:
            self._on_lookup("shared")
            self._keep(key, shared)
            return kind.model_validate_json(shared)
        self._on_lookup("miss")
        found = await compute()
        text = found.model_dump_json().encode()
        self._keep(key, text)
        await self._shared_set(key, text)
        return found

    def _keep(self, key: str, text: bytes) -> None:
        if len(text) <= self._local.maxsize:
            self._local[key] = text

    async def _shared_get(self, key: str) -> bytes | None:
        if self._shared is None:
            return None
        try:
            return await self._shared.get(key)
        except Exception as error:  # noqa: BLE001 - any failure of the cache means "not kept"
            logger.warning("shared answer cache unreadable: %s", error)
            return None

    async def _shared_set(self, key: str, text: bytes) -> None:
        if self._shared is None:
            return
        try:
            await self._shared.set(key, text, ex=self._shared_ttl)
        except Exception as error:  # noqa: BLE001
            logger.warning("shared answer cache unwritable: %s", error)

    async def close(self) -> None:
        if self._shared is not None:
            await self._shared.aclose()


class Answers:
    """What the routes ask: a bundle's answer to a posting, kept or computed by the scheduler."""

    def __init__(self, inference: Inference, cache: AnswerCache) -> None:
        self.inference = inference
        self.cache = cache

    async def get(self, model: Callable[[P], A], request: P, kind: type[A], version: str,
                  budget: float) -> A:
        """`model(request)` (a bound method of the bundle of `version`, answering `kind`);
        `budget`: the seconds its computing may take."""
        return await self.cache.answer(
            model.__name__, version, request, kind,
            lambda: self.inference.run(model, request, budget=budget))


def answer_cache(max_bytes: int, redis_url: str | None,
                 on_lookup: Callable[[str], None] | None = None) -> AnswerCache:
    """The configured cache: in memory, and shared through Redis when `redis_url` is set."""
    shared = None
    if redis_url:
        from redis.asyncio import Redis  # only where Redis is configured

        shared = Redis.from_url(redis_url, socket_timeout=0.05, socket_connect_timeout=0.2)
    return AnswerCache(max_bytes, shared, on_lookup=on_lookup)
