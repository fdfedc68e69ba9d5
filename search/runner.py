"""Starting a search on this machine: validate everything, create the study, then N worker processes.

Workers are separate processes (``python -m mixmerge.service.cli worker ...``), one per GPU when there are
GPUs and one by default on a CPU machine (a worker holds the live model, the base, the task vectors and the
evaluation data: several GB at 135M). They share nothing but the database, exactly like workers started by
hand on other hosts, so a study started here can be joined from elsewhere and resumed by running the same
command again: the study, its spec and its budget accounting are all in the store.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from mixmerge.search.cores import spawn
from mixmerge.search.spec import StudySpec
from mixmerge.storage import open_store

log = logging.getLogger(__name__)


def check_inputs(spec: StudySpec) -> None:
    """Everything that can be checked before the store is touched: objective data, the base, the experts
    (merge_core's validation: architecture, shapes, descent from the base). Raises ``ValueError``."""
    from mixmerge.objectives.registry import build_objective

    for o in spec.objectives:
        build_objective(o.name, split=spec.split, suite=spec.evaluation.suite, data_dir=spec.evaluation.data_dir)
    if spec.arm == "merge" and spec.experts:
        from mixmerge.merge_core.checkpoint import open_checkpoint, open_expert
        from mixmerge.merge_core.validate import validate_experts

        base = open_checkpoint(spec.base)
        validate_experts(base, {k: open_expert(v, base) for k, v in spec.experts.items()})
    else:
        from mixmerge.search.worker import training_sources

        sources, names = training_sources(spec)
        sources.check_names(list(names.values()))
        for path in sources.files.values():
            if not Path(path).is_file():
                raise ValueError(f"data: training file {str(path)!r} does not exist")
    from mixmerge.search.trials import base_is_tied, build_space

    build_space(spec, base_is_tied(spec.base) if spec.arm == "merge" else False)


def prepare_study(spec: StudySpec) -> None:
    """Validate the inputs, then create (or re-open, on resume) the study in the store."""
    from mixmerge.search.worker import create_study

    check_inputs(spec)
    with open_store(spec.storage) as store:  # StorageError (a ValueError) before anything is written
        create_study(spec, store)


def default_workers() -> list[str]:
    """One device a worker: every CUDA GPU, else one CPU worker."""
    try:
        import torch

        n = torch.cuda.device_count()
    except Exception:  # noqa: BLE001 - no usable CUDA
        n = 0
    return [f"cuda:{i}" for i in range(n)] if n else ["cpu"]


@dataclass
class SearchHandle:
    """The worker processes of a search started by :func:`start_search`."""

    spec: StudySpec
    processes: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def poll(self) -> list[int | None]:
        return [p.poll() for p in self.processes]

    @property
    def running(self) -> bool:
        return any(code is None for code in self.poll())

    def wait(self, timeout: float | None = None) -> list[int]:
        """Wait for every worker; returns their exit codes (raises ``TimeoutError`` after ``timeout``)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for p in self.processes:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                p.wait(timeout=left)
            except subprocess.TimeoutExpired:
                raise TimeoutError(f"search {self.spec.study!r} still running after {timeout} s") from None
        return [int(p.returncode) for p in self.processes]

    def stop(self, timeout: float = 60.0) -> list[int]:
        """Ask every worker to stop (SIGTERM: each fails its running trial and queues it for retry)."""
        for p in self.processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        try:
            return self.wait(timeout)
        except TimeoutError:
            for p in self.processes:
                if p.poll() is None:
                    p.kill()
            return self.wait()


def start_search(spec: StudySpec, n_workers: int | None = None, *, devices: list[str] | None = None,
                 log_dir: str | Path | None = None, env: dict[str, str] | None = None) -> SearchHandle:
    """Validate, create the study, and start ``n_workers`` local workers (default: one per GPU, else one).

    Worker 0 is the lead: it runs the study's setup steps (expert training or marking given experts as already
    paid, the base's scores); the others wait for it. Worker logs go to ``log_dir`` (default: the work dir).
    """
    prepare_study(spec)
    devices = devices or default_workers()
    n = n_workers or len(devices)
    if n < 1:
        raise ValueError(f"--workers must be at least 1, got {n}")
    folder = Path(log_dir) if log_dir else spec.work_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    handle = SearchHandle(spec=spec)
    child_env = {**os.environ, **(env or {})}
    child_env.setdefault("HF_HUB_OFFLINE", "1")
    child_env.setdefault("HF_DATASETS_OFFLINE", "1")
    for rank in range(n):
        device = devices[rank % len(devices)]
        cmd = [sys.executable, "-m", "mixmerge.service.cli", "worker", "--storage", spec.storage,
               "--study", spec.study, "--device", device, "--rank", str(rank)]
        if rank > 0:
            cmd.append("--no-lead")
        log_path = folder / f"worker-{rank}.log"
        with open(log_path, "ab") as out:
            handle.processes.append(spawn(cmd, stdout=out, stderr=subprocess.STDOUT, env=child_env))
        handle.logs.append(log_path)
        log.info("worker %d on %s started (pid %d), log %s", rank, device, handle.processes[-1].pid, log_path)
    return handle


def run_search(spec: StudySpec, n_workers: int | None = None, **kwargs: object) -> list[int]:
    """Start the workers and wait for them; Ctrl-C stops them cleanly (resume with the same call)."""
    handle = start_search(spec, n_workers, **kwargs)  # type: ignore[arg-type]
    try:
        return handle.wait()
    except KeyboardInterrupt:
        log.warning("interrupted: stopping %d worker(s); run the same command again to resume",
                    len(handle.processes))
        handle.stop()
        raise
