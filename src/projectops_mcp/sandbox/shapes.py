"""Hostile answer shapes: what a real account, a proxy or a broken upstream may send instead of the documented
answer, as `Fault`s for the simulators' fault injection (tests/test_shapes.py walks every tool through them).

Three reshape the simulator's real answer (records without ids, every field null, numbers as strings); the rest
replace it.
"""

from __future__ import annotations

import json
import time
from typing import Any

import anyio
import anyio.lowlevel

from projectops_mcp.sandbox.recorder import Fault

# Shapes whose answer holds no record at all: a get or create must fail on them, a list must come back empty.
NO_RECORD = ("{}", "[]", "empty body", "null", '[1,"x",null]', "HTML 200", "3xx", "oversized", "endless")


def _is_id_key(key: str) -> bool:
    return key.lower() == "id" or key.lower().endswith("id") and len(key) > 2


def without_ids(data: Any) -> Any:
    """Every record with its id keys dropped (id, userId, TASKLISTID, ...), at any depth."""
    if isinstance(data, dict):
        return {k: without_ids(v) for k, v in data.items() if not _is_id_key(str(k))}
    if isinstance(data, list):
        return [without_ids(v) for v in data]
    return data


def all_null(data: Any, depth: int = 0) -> Any:
    """Every field of every record null; the envelope (a top-level object's lists and objects) kept."""
    if isinstance(data, dict):
        return {
            k: (all_null(v, depth + 1) if depth == 0 and isinstance(v, dict | list) else None) for k, v in data.items()
        }
    if isinstance(data, list):
        return [all_null(v, depth) if isinstance(v, dict) else None for v in data]
    return None


def numbers_as_strings(data: Any) -> Any:
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int | float):
        return str(data)
    if isinstance(data, dict):
        return {k: numbers_as_strings(v) for k, v in data.items()}
    if isinstance(data, list):
        return [numbers_as_strings(v) for v in data]
    return data


def oversized_body(size: int) -> bytes:
    """A well-formed JSON array of records, `size` bytes long."""
    record = json.dumps({"id": 1, "name": "x" * 1000}).encode()
    count = max(1, size // (len(record) + 1))
    return b"[" + b",".join([record] * count) + b"]"


def answer_shapes(oversized: int = 20 * 2**20) -> dict[str, Fault]:
    html = "<!doctype html><html><head><title>Sign in</title></head><body><form>Sign in</form></body></html>"
    return {
        "{}": Fault(status=200, body={}),
        "[]": Fault(status=200, body=[]),
        "empty body": Fault(status=200, body=b""),
        "null": Fault(status=200, body=b"null"),
        '[1,"x",null]': Fault(status=200, body=[1, "x", None]),
        "records without ids": Fault(reshape=without_ids),
        "every field null": Fault(reshape=all_null),
        "numbers as strings": Fault(reshape=numbers_as_strings),
        "HTML 200": Fault(status=200, body=html, content_type="text/html"),
        "3xx": Fault(status=302, headers={"Location": "https://login.example.com/sso"}, body=b""),
        "oversized": Fault(status=200, body=oversized_body(oversized)),
        "endless": Fault(endless=True),
    }


LIST_RECORD = json.dumps({"id": 1, "name": "x" * 200, "color": "#ffffff"}).encode()
_LIST_CHUNK = b",".join([LIST_RECORD] * 256) + b","  # ~60 KiB


async def stream_list(receive: Any, send: Any, key: str, size: int | None, limit: float = 60.0) -> None:
    """Answer a request with a 200 JSON list of records under `key`, `size` bytes long (None: without end, for up
    to `limit` seconds). Sent without Content-Length, so that only counting what is read can stop a client; the
    stream stops when the client hangs up. For loopback attack rigs (tests/test_bounded_reading.py, bench/hostile.py).
    """
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": f'{{"{key}": ['.encode(), "more_body": True})
    async with anyio.create_task_group() as tg:

        async def until_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            tg.cancel_scope.cancel()

        tg.start_soon(until_disconnect)
        sent, started = 0, time.monotonic()
        while (size is None or sent < size) and time.monotonic() - started < limit:
            await send({"type": "http.response.body", "body": _LIST_CHUNK, "more_body": True})
            sent += len(_LIST_CHUNK)
            await anyio.lowlevel.checkpoint()  # lets the hang-up be noticed
        await send({"type": "http.response.body", "body": LIST_RECORD + b"]}"})
        tg.cancel_scope.cancel()
