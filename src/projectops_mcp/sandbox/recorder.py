"""Request recording and scripted fault injection, wrapped around each simulator (pure ASGI).

Tests assert on what reached the "upstream" (method, path, query, headers, body) and script faults per route:

    sandbox.projectworks.faults.add("GET", "/Users/Roles", Fault(status=429, headers={"Retry-After": "0"}))

Faults are consumed in order, one per matching request. A fault with `after=True` lets the request reach the
simulator first (the write happens) and then replaces the answer: the case where a write may have landed.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import anyio

MAX_RECORDED = 5000  # tests reset long before this; the oldest half is dropped beyond it


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)  # arrival, for rate and concurrency measurements

    @property
    def params(self) -> dict[str, str]:
        return dict(self.query)

    @property
    def json(self) -> Any:
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def as_dict(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "query": self.query, "json": self.json}


@dataclass
class Fault:
    """One scripted misbehaviour. Exactly one of the shapes below is used:
    - status (+ headers, body, content_type): answer with this instead of the simulator
    - delay: wait this many seconds, then answer normally (or with `status` if also given)
    - hang: send the headers, then stall this many seconds mid-body (a read timeout mid-response)
    - truncate: send a body shorter than its Content-Length, then drop the connection (a truncated response)
    - after: let the simulator handle the request first (the write lands), then answer with the fault, or with
      the real answer after `delay` when the fault has no other shape
    - reshape: let the simulator answer, then send its JSON body changed by this function (same status)
    - endless: send a 200 JSON array that never ends (until the client hangs up)
    A connect error needs no fault: point the client at a closed port.
    """

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | bytes | dict | list | None = None
    content_type: str = "application/json"
    delay: float = 0.0
    hang: float = 0.0
    truncate: bool = False
    after: bool = False
    reshape: Callable[[Any], Any] | None = None
    endless: bool = False

    @property
    def replaces_answer(self) -> bool:
        return self.status is not None or bool(self.hang) or self.truncate or self.endless

    @classmethod
    def rate_limited(cls, retry_after: float | None = None, **kw: Any) -> Fault:
        """A 429, with or without Retry-After."""
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        return cls(status=429, headers=headers, body={"error": "rate limit exceeded"}, **kw)

    @classmethod
    def html(cls, status: int = 502, **kw: Any) -> Fault:
        """A proxy's HTML error page."""
        body = f"<html><head><title>{status} Bad Gateway</title></head><body><h1>{status}</h1>nginx</body></html>"
        return cls(status=status, body=body, content_type="text/html", **kw)


@dataclass
class _Rule:
    method: str
    pattern: re.Pattern[str]
    faults: list[Fault]


class FaultPlan:
    def __init__(self) -> None:
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()

    def add(self, method: str, path_regex: str, *faults: Fault) -> None:
        """Script faults for requests whose method matches ('*' for any) and whose path fully matches the regex."""
        with self._lock:
            self._rules.append(_Rule(method.upper(), re.compile(path_regex), list(faults)))

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for rule in self._rules:
                if rule.faults and rule.method in ("*", method) and rule.pattern.fullmatch(path):
                    return rule.faults.pop(0)
        return None

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()


class Recorder:
    """ASGI middleware: records every request, then applies a scripted fault or passes it to the simulator."""

    def __init__(self, app: Any, prefix: str = ""):
        self.app = app
        self.prefix = prefix
        self.requests: list[RecordedRequest] = []
        self.faults = FaultPlan()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
        self.faults.clear()

    def find(self, method: str | None = None, path: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            items = list(self.requests)
        return [r for r in items if (method is None or r.method == method) and (path is None or r.path == path)]

    @property
    def writes(self) -> list[RecordedRequest]:
        return [r for r in list(self.requests) if r.method in ("POST", "PUT", "PATCH", "DELETE")]

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix) :] or "/"
            scope = {**scope, "path": path, "raw_path": path.encode()}
        if path.startswith("/_sandbox"):
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        method = scope["method"]
        with self._lock:
            self.requests.append(RecordedRequest(method, path, query, headers, body))
            if len(self.requests) > MAX_RECORDED:  # a long-running --sandbox server must not grow without end
                del self.requests[: len(self.requests) - MAX_RECORDED // 2]

        sent = False

        async def replay() -> dict:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        fault = self.faults.take(method, path)
        if fault is None:
            await self.app(scope, replay, send)
            return
        if fault.after:
            # The simulator handles the request for real (the write lands); its answer is held back.
            answer: list[dict] = []
            await self.app(scope, replay, _collect(answer))
            if fault.delay:
                await anyio.sleep(fault.delay)
            if fault.replaces_answer:
                await _send_fault(fault, send)
            else:
                for message in answer:  # only late: the real answer after the delay
                    await send(message)
            return
        if fault.delay:
            await anyio.sleep(fault.delay)
        if fault.reshape is not None:
            answer = []
            await self.app(scope, replay, _collect(answer))
            await _send_reshaped(answer, fault.reshape, send)
        elif fault.replaces_answer:
            await _send_fault(fault, send, receive)
        else:
            await self.app(scope, replay, send)


def _collect(into: list[dict]) -> Any:
    async def send(message: dict) -> None:
        into.append(message)

    return send


async def _send_reshaped(answer: list[dict], reshape: Callable[[Any], Any], send: Any) -> None:
    start = next(m for m in answer if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in answer if m["type"] == "http.response.body")
    try:
        data = json.loads(body) if body.strip() else None
    except ValueError:
        data = None
    payload = json.dumps(reshape(data)).encode() if data is not None else body
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"content-type")]
    headers += [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": start["status"], "headers": headers})
    await send({"type": "http.response.body", "body": payload, "more_body": False})


ENDLESS_CHUNK = b'{"id": 1, "name": "' + b"x" * 4000 + b'"},'


ENDLESS_LIMIT = 60.0  # seconds: "endless" to any client with a sane deadline, finite for the simulator


async def _send_endless(send: Any, receive: Any) -> None:
    """Stream a JSON array that never closes, until the client hangs up."""
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b"[", "more_body": True})
    async with anyio.create_task_group() as tg:

        async def until_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            tg.cancel_scope.cancel()

        tg.start_soon(until_disconnect)
        with anyio.move_on_after(ENDLESS_LIMIT):
            while True:
                await send({"type": "http.response.body", "body": ENDLESS_CHUNK * 16, "more_body": True})
                await anyio.sleep(0.001)
        tg.cancel_scope.cancel()


async def _send_fault(fault: Fault, send: Any, receive: Any = None) -> None:
    if fault.endless:
        await _send_endless(send, receive)
        return
    status = fault.status or 200
    if isinstance(fault.body, dict | list):
        payload = json.dumps(fault.body).encode()
    elif isinstance(fault.body, str):
        payload = fault.body.encode()
    else:
        payload = fault.body or b""
    length = len(payload) + (100 if fault.truncate else 0)
    headers = [(b"content-type", fault.content_type.encode()), (b"content-length", str(length).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in fault.headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    if fault.hang:
        await send({"type": "http.response.body", "body": payload[:1], "more_body": True})
        await anyio.sleep(fault.hang)
        payload = payload[1:]
    if fault.truncate:
        await send({"type": "http.response.body", "body": payload, "more_body": True})
        raise ConnectionAbortedError("sandbox: truncated response")
    await send({"type": "http.response.body", "body": payload, "more_body": False})
