"""Work shared between this process and spawned workers (pages to read, charts to draw)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import signal
from typing import Callable


def in_workers(function: Callable, items: list, jobs: int, worth_from: int,
               setup: Callable | None = None, setup_args: tuple = ()) -> list:
    """function(item) for every item, in order, shared by this process and jobs - 1 workers
    when there are at least `worth_from` items (fewer are done here: starting a worker would
    cost more than it saves).

    This process starts on the first items at once, while the workers start up and take
    items from the far end; whichever reaches a chunk first does it. Workers are spawned,
    never forked: a fork would copy vl-convert's V8 threads and, under `serve`, the web
    server's locks. Each process runs `setup` once before its first item.
    """
    if setup:
        setup(*setup_args)
    key = (jobs, setup, setup_args)
    if key in KEPT:  # the live preview's workers are up already: worth it from two items
        worth_from = 2
    if jobs <= 1 or len(items) < worth_from:
        return [function(item) for item in items]
    size = max(1, len(items) // (jobs * 16))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    pool, futures = worker_pool(key), []
    try:
        with workers_ignore_ctrl_c():  # submit() starts the workers
            futures = [pool.submit(run_chunk, function, chunk)
                       for chunk in reversed(chunks)][::-1]
        done_here = []
        for chunk, future in zip(chunks, futures):
            if not future.cancel():  # a worker has it, and every chunk after it
                break
            done_here.append(run_chunk(function, chunk))
        taken = [future.result() for future in futures[len(done_here):]]
    except concurrent.futures.process.BrokenProcessPool:
        KEPT.pop(key, None)  # a worker died: the next build starts a fresh pool
        raise
    finally:  # after Ctrl-C or an error, chunks no worker has begun are dropped
        release(key, pool, futures)
    return [result for chunk in done_here + taken for result in chunk]


def worker_pool(key: tuple) -> concurrent.futures.ProcessPoolExecutor:
    """The kept pool for these workers, or a new one (kept if the preview asks)."""
    jobs, setup, setup_args = key
    pool = KEPT.get(key) or concurrent.futures.ProcessPoolExecutor(
        jobs - 1, mp_context=multiprocessing.get_context("spawn"), initializer=setup,
        initargs=setup_args)
    if KEEPING:
        KEPT[key] = pool
    return pool


def release(key: tuple, pool: concurrent.futures.ProcessPoolExecutor, futures: list) -> None:
    """Drop the work no worker has begun; stop the workers unless the pool is kept."""
    if key in KEPT:
        for future in futures:
            future.cancel()
    else:
        pool.shutdown(cancel_futures=True)


# The live preview keeps its worker processes between builds: each starts once (vl-convert
# loaded, fonts registered) instead of once per save. A build run from the command line
# starts and stops its own.
KEPT: dict[tuple, concurrent.futures.ProcessPoolExecutor] = {}
KEEPING = False


@contextlib.contextmanager
def workers_kept():
    """Within this block, worker pools outlive the build that started them; they are shut
    down when the block ends."""
    global KEEPING
    KEEPING = True
    try:
        yield
    finally:
        KEEPING = False
        for pool in KEPT.values():
            pool.shutdown(cancel_futures=True)
        KEPT.clear()


@contextlib.contextmanager
def workers_ignore_ctrl_c():
    """Processes started inside this block never receive Ctrl-C: it is blocked while they
    start, and a blocked signal stays blocked across exec. A Ctrl-C meanwhile waits, and
    reaches this process when the block ends. So Ctrl-C stops the build's own process with
    one line, not with a traceback from every worker."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def run_chunk(function: Callable, chunk: list) -> list:
    """Run function over one chunk of items (in a worker, one message per chunk)."""
    return [function(item) for item in chunk]
