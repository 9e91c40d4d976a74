"""Running kernel calls on worker threads while the calling thread watches them.

The compiled kernels release the GIL and cannot call back into Python cheaply, so a long search
or succession run is split into calls that run on a pool; the calling thread wakes a few times a
second to report progress and to ask whether to stop. Stopping cancels the calls that have not
started and tells the running ones (through ``on_stop``, e.g. a flag array the kernel polls); a
cancelled call's result is None. An interrupt (Ctrl-C) stops the workers the same way before it
propagates, instead of waiting for them to finish on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

_T = TypeVar("_T")

POLL_SECONDS = 0.1
"""How often the watching thread reports progress and asks whether to stop."""

Progress = Callable[[int, int], None]
"""A progress callback: ``progress(done, total)``, in units the caller names."""

ShouldStop = Callable[[], bool]
"""Asked a few times a second; True stops the analysis with what it has (a time limit)."""


def run_watched(
    workers: int,
    calls: Sequence[Callable[[], _T]],
    *,
    report: Callable[[Sequence[Future[_T]]], None] | None,
    should_stop: ShouldStop | None,
    on_stop: Callable[[], None] = lambda: None,
) -> tuple[list[_T | None], bool]:
    """Run ``calls`` on ``workers`` threads: their results (None if cancelled), and if stopped.

    Usage: ``results, stopped = run_watched(2, calls, report=None, should_stop=past_deadline)``.
    """
    if should_stop is not None and should_stop():
        # Asked before anything started: nothing runs, so what was covered is exactly nothing.
        on_stop()
        return [None for _ in calls], True
    stopped = False
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(call) for call in calls]
        try:
            pending: set[Future[_T]] = set(futures)
            while pending:
                if not stopped and should_stop is not None and should_stop():
                    stopped = True
                    on_stop()
                    for future in futures:
                        future.cancel()
                _, pending = wait(pending, timeout=POLL_SECONDS)
                if report is not None:
                    report(futures)
        except BaseException:
            # Without this the pool's exit would wait for every running kernel to finish.
            on_stop()
            for future in futures:
                future.cancel()
            raise
    return [None if future.cancelled() else future.result() for future in futures], stopped
