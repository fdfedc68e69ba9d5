"""SIGUSR1 hands a running process every core: ignored until the process installs the handler (an early signal
must not kill it), then the torch thread pool widens."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from mixmerge.search.cores import spawn, widen

CHILD = """
import sys, time, torch
print(torch.get_num_threads(), flush=True)
sys.stdin.readline()
from mixmerge.search.cores import widen_on_signal
widen_on_signal()
print("ready", flush=True)
sys.stdin.readline()
deadline = time.monotonic() + 20
while torch.get_num_threads() == 1 and time.monotonic() < deadline:
    time.sleep(0.05)
print(torch.get_num_threads(), flush=True)
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="widening needs two cores")
def test_an_early_signal_is_ignored_and_a_later_one_hands_over_every_core():
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    p = spawn([sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert p.stdout.readline().strip() == "1"
        assert widen(p)  # before the handler: ignored (SIGUSR1's default action would end the process)
        p.stdin.write("\n")
        p.stdin.flush()
        assert p.stdout.readline().strip() == "ready"
        assert widen(p)
        p.stdin.write("\n")
        p.stdin.flush()
        assert int(p.stdout.readline()) == os.cpu_count()
        assert p.wait(timeout=30) == 0
    finally:
        p.kill()
    assert not widen(p)  # an ended process is not signalled


def test_a_plain_process_is_not_started_with_the_signal_ignored():
    """spawn leaves the parent's own handling of SIGUSR1 as it was."""
    import signal

    before = signal.getsignal(signal.SIGUSR1)
    spawn([sys.executable, "-c", "pass"]).wait()
    assert signal.getsignal(signal.SIGUSR1) == before


FINISHING_CHILD = """
import time
from mixmerge.search.cores import widen_on_signal
widen_on_signal()

class SlowToFinalise:
    def __del__(self):  # runs during interpreter shutdown, after Python reset its signal handlers
        print("finalising", flush=True)
        time.sleep(2)

kept = SlowToFinalise()
"""


def test_a_signal_during_shutdown_does_not_turn_a_clean_exit_into_a_kill():
    """The demo widens whichever process is left alone, which can be one that is just exiting: Python's
    finalisation restores SIGUSR1's default action (end the process), so the handler ignores it at exit."""
    import signal

    p = spawn([sys.executable, "-c", FINISHING_CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "finalising"
        p.send_signal(signal.SIGUSR1)
        assert p.wait(timeout=30) == 0
    finally:
        p.kill()
