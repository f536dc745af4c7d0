"""Admission lanes: heavy requests run a few at a time, so cheap ones never wait behind them.

The server is one process with one interpreter lock: Python work of every request shares one
core, whatever the thread pool's size. Sixteen searches running at once do not finish sooner than
two at a time; they only make a cheap request (a page of an exact answer, ~1 ms of work) wait for
its turn on the lock behind all of them. So each heavy kind of request has a :class:`Lane`:

* at most ``limit`` of its requests run at once (in the thread pool);
* up to ``queue`` more wait their turn on the event loop, holding no thread, for at most
  ``wait`` seconds each (a deadline, not a timer per request: one that cannot start in time is
  refused, never half-run);
* past either bound the answer is 503 with ``Retry-After`` (:class:`ServerBusyError`): the server
  is really overloaded, and the client is told when to come back. A request is refused at once,
  not at its deadline, when the line ahead of it (its length × the lane's recent service time ÷
  ``limit``) would already take longer than ``wait``.

Requests outside any lane (exact answers, entity lists, documents, the page) run in the thread
pool at once, competing with at most the lanes' ``limit`` heavy threads; those the facade says cost
about a millisecond (a page of an entity's measures, the entity list once built) run on the event
loop itself (:func:`inline_or_thread`): handing them to a thread and back costs more than they do,
and under load each hand-off waits for the interpreter lock. Waiting is first come, first served
(asyncio's semaphore keeps its waiters in order).

>>> lane = Lane("search", limit=2, queue=8, wait=5.0)
>>> lane.describe()
'search: 2 running, 8 waiting at most, 5 s deadline'
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import TypeAdapter

from core.errors import PolicyKGError

#: (limit, queue, wait in seconds) of each lane. /search: two at a time (one runs Python while the other
#: waits on numpy or the encoder, which release the lock); /sparql: as many as the endpoint has query
#: processes, the rest wait here rather than in its pool.
LANES: dict[str, tuple[int, int, float]] = {
    "search": (2, 256, 15.0),
    "sparql": (2, 256, 15.0),
}


class ServerBusyError(PolicyKGError):
    """Too many requests of one kind are waiting, or one waited past its deadline (503, retry)."""

    status = 503
    retry_after = 2


@dataclass
class Lane:
    """At most ``limit`` requests at once, ``queue`` more waiting at most ``wait`` seconds each."""

    name: str
    limit: int
    queue: int
    wait: float
    running: int = 0
    waiting: int = 0
    refused: int = 0
    service: float = 0.0  # recent service time in seconds (moving average)
    _slots: asyncio.Semaphore | None = field(default=None, repr=False)

    def describe(self) -> str:
        return f"{self.name}: {self.limit} running, {self.queue} waiting at most, {self.wait:g} s deadline"

    @asynccontextmanager
    async def slot(self):
        """Hold one of the lane's places (waiting up to the deadline), or raise :class:`ServerBusyError`."""
        if self._slots is None:  # made on first use, inside the server's event loop
            self._slots = asyncio.Semaphore(self.limit)
        if self._slots.locked():
            await self._wait_turn()
        else:
            await self._slots.acquire()  # a free place: taken at once, without yielding
        self.running += 1
        start = time.monotonic()
        try:
            yield
        finally:
            took = time.monotonic() - start
            self.service = took if not self.service else 0.8 * self.service + 0.2 * took
            self.running -= 1
            self._slots.release()

    async def _wait_turn(self) -> None:
        ahead = (self.waiting + 1) * self.service / self.limit
        if self.waiting >= self.queue or ahead > self.wait:
            self.refused += 1
            raise ServerBusyError(f"The server is busy: {self.waiting} {self.name} requests are already waiting "
                                  f"(about {ahead:.1f} s of work). Retry in a few seconds.")
        t0 = time.monotonic()
        self.waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), self.wait)
        except TimeoutError:
            self.refused += 1
            raise ServerBusyError(f"The server is busy: this {self.name} request waited {time.monotonic() - t0:.1f} s "
                                  f"for its turn (limit {self.wait:g} s). Retry in a few seconds.") from None
        finally:
            self.waiting -= 1

    async def run(self, fn: Callable, *args, model=None, **kwargs):
        """``fn(*args, **kwargs)`` in the thread pool once the lane admits it (with a response ``model``,
        checked and serialised there too: :func:`json_response`)."""
        async with self.slot():
            if model is None:
                return await run_in_threadpool(fn, *args, **kwargs)
            return await run_in_threadpool(lambda: json_response(model, fn(*args, **kwargs)))


class Lanes:
    """The lanes of one application (made in its lifespan, so each event loop has its own)."""

    def __init__(self, table: dict[str, tuple[int, int, float]] | None = None) -> None:
        self.by_name = {name: Lane(name, *spec) for name, spec in (table or LANES).items()}

    def __getitem__(self, name: str) -> Lane:
        return self.by_name[name]

    def stats(self) -> dict:
        return {n: {"limit": l.limit, "running": l.running, "waiting": l.waiting, "refused": l.refused,
                    "service_ms": round(l.service * 1000, 1)} for n, l in self.by_name.items()}


async def inline_or_thread(cheap: bool, model, fn: Callable, *args, **kwargs):
    """``fn(*args, **kwargs)`` on the event loop when ``cheap`` (about a millisecond of work, nothing to
    open or build), else in the thread pool; there, with a response ``model``, the answer is also
    checked and serialised as JSON (:func:`json_response`), so a large one never holds the loop."""
    if cheap:
        return fn(*args, **kwargs)
    if model is None:
        return await run_in_threadpool(fn, *args, **kwargs)
    return await run_in_threadpool(lambda: json_response(model, fn(*args, **kwargs)))


@functools.lru_cache(maxsize=64)
def _adapter(model) -> TypeAdapter:
    return TypeAdapter(model)


def json_response(model, value) -> Response:
    """``value`` checked against the response ``model`` and serialised as FastAPI does for a route's
    ``response_model`` (by alias, JSON mode): called in a worker thread, so the event loop only sends it."""
    adapter = _adapter(model)
    return Response(adapter.dump_json(adapter.validate_python(value), by_alias=True), media_type="application/json")


def lane(request: Request, name: str) -> Lane:
    """The application's lane ``name`` (``app.state.lanes``; the default table when none was set)."""
    lanes = getattr(request.app.state, "lanes", None)
    if lanes is None:
        lanes = request.app.state.lanes = Lanes()
    return lanes[name]
