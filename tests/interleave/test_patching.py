"""What ``explore`` changes in the standard library while it runs (``_patching``): here, the
order in which a ``ThreadPoolExecutor`` keeps its threads, so that the same program is
explored the same way in every process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tutor.interleave import explore
from tutor.interleave._patching import ThreadsInOrder

pytestmark = pytest.mark.usefixtures("clean_process")

REPO = Path(__file__).resolve().parents[2]


class _Item:
    """Hashed by identity, as threads are: a plain set iterates them by address."""


def test_threads_in_order_iterate_as_they_were_added():
    items = [_Item() for _ in range(20)]
    kept = ThreadsInOrder()
    for item in items:
        kept.add(item)
    kept.add(items[0])  # again: no second place
    assert list(kept) == items and len(kept) == 20 and items[5] in kept
    kept.discard(items[5])
    kept.remove(items[6])
    assert list(kept) == items[:5] + items[7:] and items[5] not in kept


def _pool_user(state):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="pool") as pool:
        state.append(list(pool.map(len, ["a", "bb", "ccc", "dddd"])))
        state.append(type(pool._threads))
        state.append([t.name for t in pool._threads])


def test_a_pool_made_while_exploring_keeps_its_threads_in_order():
    seen = []

    def check(state):
        seen.append(state)

    explore(list, [_pool_user], check, max_schedules=3)
    lengths, kind, names = seen[0]
    assert lengths == [1, 2, 3, 4]
    assert kind is ThreadsInOrder
    assert names == sorted(names) and names  # pool_0, pool_1, ...: as they were started


_PROGRAM = textwrap.dedent('''
    import sys, threading
    from concurrent.futures import ThreadPoolExecutor
    from tutor.interleave import explore, install
    install()

    class Server:
        def __init__(self):
            self.lock = threading.Lock()
            self.open = 0
            self.round = threading.Barrier(2)

        def fetch(self, url):
            with self.lock:
                self.open += 1
            self.round.wait()
            with self.lock:
                self.open -= 1
            if url == "b":
                raise OSError(url)
            return url

    def crawl(server):
        try:
            with ThreadPoolExecutor(max_workers=2) as pool:
                list(pool.map(server.fetch, ["a", "b"]))
        except OSError:
            pass

    report = explore(Server, [crawl])
    print(report.traces, report.schedules, report.steps)
''')


def test_a_thread_pool_is_explored_the_same_in_every_process(tmp_path):
    # before ThreadsInOrder, the pool's shutdown joined its threads in address order, and the
    # same program took 56 to 60 interleavings from one process to the next
    program = tmp_path / "pool_program.py"
    program.write_text(_PROGRAM)
    outputs = set()
    for hash_seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed,
               "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
        env.pop("TUTOR_SEED", None)
        done = subprocess.run([sys.executable, str(program)], env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.add(done.stdout.strip())
    assert len(outputs) == 1, outputs


class _Counter:
    def __init__(self):
        self.n = 0


def _profiled_add(counter):
    # a hidden test that counts calls does this around the learner's code: on 3.12+ CPython
    # then dropped the monitoring of every function on the stack (``keeping_points``)
    sys.setprofile(lambda frame, event, arg: None)
    sys.setprofile(None)
    counter.n += 1  # a lost update, visible only through the points after the toggle


def _both_added(counter):
    assert counter.n == 2, counter.n


def test_setting_a_profile_function_keeps_the_points_of_the_code_running():
    from tutor.interleave import InterleavingFailure

    for _ in range(2):  # and again: the points stay for later calls too
        with pytest.raises(InterleavingFailure) as caught:
            explore(_Counter, [_profiled_add, _profiled_add], _both_added)
        assert caught.value.kind == "assertion"
    assert sys.getprofile() is None
