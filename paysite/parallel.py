"""Work shared between this process and spawned workers (pages to read), or done by workers
started before it (charts to draw)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import multiprocessing
import signal
from typing import Callable


def in_workers(function: Callable, items: list, jobs: int, worth_from: int,
               setup: Callable | None = None, setup_args: tuple = ()) -> list:
    """function(item) for every item, in order, across `jobs` processes when there are at
    least `worth_from` items (fewer are done here: starting a worker would cost more than it
    saves). Workers are spawned, never forked: a fork would copy vl-convert's V8 threads and,
    under `serve`, the web server's locks. Each process runs `setup` once before its first
    item.

    Workers started beforehand (`start_workers`) do all the items: they are set up already,
    and this process would have to set itself up first. Otherwise this process starts on
    the first items at once, while jobs - 1 workers start up and take items from the far
    end; whichever reaches a chunk first does it.
    """
    if not items:
        return []
    key = (jobs, setup, setup_args)
    if key in KEPT:
        with Batch(functools.partial(run_chunk, function), jobs, worth_from, setup,
                   setup_args) as batch:
            for chunk in chunks_of(items, jobs):
                batch.add(chunk)
            return [result for chunk in batch.results() for result in chunk]
    if setup:
        setup(*setup_args)
    if jobs <= 1 or len(items) < worth_from:
        return [function(item) for item in items]
    chunks, futures = chunks_of(items, jobs), []
    pool = new_pool(jobs - 1, setup, setup_args)
    try:
        with workers_ignore_ctrl_c():  # submit() starts the workers
            futures = [pool.submit(run_chunk, function, chunk) for chunk in reversed(chunks)][::-1]
        done_here = []
        for chunk, future in zip(chunks, futures):
            if not future.cancel():  # a worker has it, and every chunk after it
                break
            done_here.append(run_chunk(function, chunk))
        taken = [future.result() for future in futures[len(done_here):]]
    finally:  # after Ctrl-C or an error, chunks no worker has begun are dropped
        pool.shutdown(cancel_futures=True)
    return [result for chunk in done_here + taken for result in chunk]


def chunks_of(items: list, jobs: int) -> list[list]:
    """Items in chunks small enough to share out evenly, large enough to cost little to send."""
    size = max(1, len(items) // (jobs * 16))
    return [items[i:i + size] for i in range(0, len(items), size)]


class Batch:
    """function(item) for items given one at a time (`add`), their results in that order
    (`results`). With workers started beforehand for this setup (`start_workers`), each item
    goes to them as it is given, so they work while the caller makes the next; otherwise
    the items are done together by `in_workers` when the results are asked for. Used as a
    context manager: items no worker has begun are dropped when the block ends."""

    def __init__(self, function: Callable, jobs: int, worth_from: int,
                 setup: Callable | None = None, setup_args: tuple = ()):
        self.function, self.jobs, self.worth_from = function, jobs, worth_from
        self.setup, self.setup_args = setup, setup_args
        self.key = (jobs, setup, setup_args)
        self.pool = KEPT.get(self.key)
        self.items: list = []
        self.futures: list[concurrent.futures.Future] = []

    def add(self, item) -> None:
        if self.pool is None:
            self.items.append(item)
            return
        try:
            with workers_ignore_ctrl_c():
                self.futures.append(self.pool.submit(self.function, item))
        except concurrent.futures.process.BrokenProcessPool:
            drop_broken(self.key)  # a worker died: the next build starts a fresh pool
            if self.futures:
                raise
            start_workers(*self.key)  # it died while idle, between a preview's builds
            self.pool = KEPT.get(self.key)
            self.add(item)

    def results(self) -> list:
        if self.pool is None:
            return in_workers(self.function, self.items, self.jobs, self.worth_from,
                              self.setup, self.setup_args)
        try:
            return [future.result() for future in self.futures]
        except concurrent.futures.process.BrokenProcessPool:
            drop_broken(self.key)
            raise

    def __enter__(self) -> "Batch":
        return self

    def __exit__(self, *exception) -> None:
        for future in self.futures:  # after Ctrl-C or an error, work not begun is dropped
            future.cancel()


def new_pool(workers: int, setup: Callable | None,
             setup_args: tuple) -> concurrent.futures.ProcessPoolExecutor:
    return concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=setup,
        initargs=setup_args)


# Workers started before their work (`start_workers`): a build's chart renderers start while
# the specs are made, and stop when the build ends; the live preview keeps them between
# builds, so each starts once (vl-convert loaded, fonts registered), not once per save.
# Workers that share pages with this process are started and stopped by each build.
KEPT: dict[tuple, concurrent.futures.ProcessPoolExecutor] = {}
KEEPING = 0  # how many `workers_kept` blocks are open, one inside another


def start_workers(jobs: int, setup: Callable | None, setup_args: tuple,
                  needed: int | None = None) -> None:
    """Start workers for this setup now, each running `setup`, so that they are ready when
    the work is (`in_workers` and `Batch` then give them all of it): `jobs` of them, or
    `needed` if fewer. Only inside `workers_kept`, which shuts them down, and only when
    there are several cores. Inside a block within another (a build in the live preview),
    the workers outlive this build and serve the next ones: `jobs` of them, whatever this
    build needs, since each starts once. Workers kept for the same setup with other arguments
    (another font, in a preview that runs on) are shut down."""
    key = (jobs, setup, setup_args)
    if jobs <= 1 or not KEEPING or key in KEPT:
        return
    for old in [k for k in KEPT if k[1] is setup]:
        KEPT.pop(old).shutdown(cancel_futures=True)
    workers = jobs if KEEPING > 1 else max(1, min(jobs, needed or jobs))
    KEPT[key] = new_pool(workers, setup, setup_args)
    with workers_ignore_ctrl_c():
        for _ in range(workers):  # a worker process is started for each task submitted
            KEPT[key].submit(int)


def drop_broken(key: tuple) -> None:
    """Forget a pool one of whose workers died, after shutting it down: its queues and
    locks are released now, not by the interpreter's teardown, which `build.py` skips."""
    pool = KEPT.pop(key, None)
    if pool:
        pool.shutdown(cancel_futures=True)


@contextlib.contextmanager
def workers_kept():
    """Within this block, worker pools outlive the build that started them; they are shut
    down when the outermost block ends (a block inside another only counts itself)."""
    global KEEPING
    KEEPING += 1
    try:
        yield
    finally:
        KEEPING -= 1
        if not KEEPING:
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
