"""One ASGI middleware for what every request needs: a request id, the body's size and media
type, an access log line (JSON) and Prometheus metrics."""

from __future__ import annotations

import json
import logging
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import PROBLEM_JSON, BodyTooLargeError
from service.metrics import ServiceMetrics

access_log = logging.getLogger("careerpath.access")
DRAIN_LIMIT = 64_000_000  # bytes of an oversized body read (and dropped) to answer it 413
JSON_TYPES = (b"application/json", b"application/ld+json")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: ServiceMetrics, max_body_bytes: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = headers.get(b"x-request-id", b"").decode("latin-1")[:100] or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        start = time.perf_counter()
        status = 500
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body_bytes:
            status = 413
            if int(length) <= DRAIN_LIMIT:  # else the client reads the answer if it can
                await _drain(receive)
            await self._refuse(send, request_id, scope["path"], 413, "Request body too large",
                               f"the body is over {self.max_body_bytes} bytes")
            self._observe(scope, status, start, request_id)
            return
        media_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if scope["method"] == "POST" and media_type not in JSON_TYPES:
            status = 415
            await _drain(receive)
            await self._refuse(send, request_id, scope["path"], 415, "Unsupported media type",
                               "send the body as JSON, with Content-Type: application/json "
                               f"(got {media_type.decode('latin-1') or 'none'})")
            self._observe(scope, status, start, request_id)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLargeError(f"the body is over {self.max_body_bytes} bytes")
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_id)
        finally:
            self._observe(scope, status, start, request_id)

    @staticmethod
    async def _refuse(send: Send, request_id: str, path: str, status: int, title: str,
                      detail: str) -> None:
        body = json.dumps({"type": "about:blank", "title": title, "status": status,
                           "instance": path, "request_id": request_id, "detail": detail}
                          ).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", PROBLEM_JSON.encode()), (b"x-request-id", request_id.encode()),
            (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def _observe(self, scope: Scope, status: int, start: float, request_id: str) -> None:
        elapsed = time.perf_counter() - start
        route = scope.get("route")
        endpoint = getattr(route, "path", None) or "unmatched"
        self.metrics.requests.labels(endpoint, scope["method"], str(status)).inc()
        self.metrics.latency.labels(endpoint).observe(elapsed)
        access_log.info("request", extra={
            "request_id": request_id, "method": scope["method"], "path": scope["path"],
            "status": status, "ms": round(elapsed * 1000, 3)})


async def _drain(receive: Receive) -> None:
    """Read the request's body to its end, dropping it: a server that answers before the
    client has sent everything resets the connection, and the client never sees the answer."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
