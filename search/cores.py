"""Cores handed over to a running process: on SIGUSR1 it widens its torch thread pool to every core.

On a small machine two processes (a merge worker and a mix worker, or a worker and a test confirmation) each
run on their share of the cores. When one finishes, the other would leave the freed cores idle for the rest of
its run, which for a mix worker can be several training runs. Whoever started them (``mixmerge demo``) sends
SIGUSR1 to the one still running, and from its next torch operation on it uses all cores.

Why this is safe: a Python signal handler runs in the main thread between bytecodes, so never inside a torch
operation; changing the intra-op thread count between operations is what ``torch.set_num_threads`` is for, and
with the OpenMP backend it overrides the ``OMP_NUM_THREADS`` the process started with. Kernels compiled
earlier by ``torch.compile`` keep the thread count they were compiled with (they stay correct, just narrower).
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import subprocess
import threading
from typing import Any

log = logging.getLogger(__name__)

WIDEN_SIGNAL = getattr(signal, "SIGUSR1", None)  # absent on Windows: widening is then unavailable


def widen_on_signal() -> None:
    """Install the handler (main thread only; a no-op where the platform has no SIGUSR1).

    At exit the signal is ignored again: Python's finalisation puts every signal with a Python handler back
    to its default action, and SIGUSR1's default ends the process, so a widening sent while a finished
    process shuts down turned its exit status 0 into -10 (seen in the demo test).
    """
    if WIDEN_SIGNAL is None or threading.current_thread() is not threading.main_thread():
        return
    signal.signal(WIDEN_SIGNAL, _widen)
    atexit.register(signal.signal, WIDEN_SIGNAL, signal.SIG_IGN)


def _widen(_signum: int, _frame: Any) -> None:
    import torch

    cores = os.cpu_count() or 1
    if torch.get_num_threads() < cores:
        before = torch.get_num_threads()
        torch.set_num_threads(cores)
        log.info("handed every core: torch threads %d -> %d", before, cores)


def spawn(cmd: list[str], **popen: Any) -> subprocess.Popen:
    """``subprocess.Popen`` with SIGUSR1 ignored in the child until it installs :func:`widen_on_signal`.

    SIGUSR1's default action ends a process, and a signal ignored at ``exec`` stays ignored, so a widening
    sent while the child is still importing is dropped instead of killing it."""
    if WIDEN_SIGNAL is None or threading.current_thread() is not threading.main_thread():
        return subprocess.Popen(cmd, **popen)
    old = signal.signal(WIDEN_SIGNAL, signal.SIG_IGN)
    try:
        return subprocess.Popen(cmd, **popen)
    finally:
        signal.signal(WIDEN_SIGNAL, old)


def widen(process: subprocess.Popen) -> bool:
    """Ask a process started by :func:`spawn` to use every core; False if it has already ended."""
    if WIDEN_SIGNAL is None or process.poll() is not None:
        return False
    process.send_signal(WIDEN_SIGNAL)
    return True
