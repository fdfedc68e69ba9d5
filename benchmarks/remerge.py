"""Resident re-merge speed and memory on the real SmolLM2-135M with three experts, every method, one run.

For each method: the per-study precomputation time, the resident memory it holds, and one per-candidate
re-merge (median of several candidates with different coefficients) as a ratio to the memory floor measured
in the same run: the fastest in-place torch copy of the bytes the merge must read and write (the base and
three task vectors read, the live weights written: five model-sized streams). On a shared machine the load
moves between methods, so the floor is also re-measured right before every timed candidate ("x floor beside
it": the median of the per-candidate ratios, each the best of ``--repeats`` applies of that candidate over the
best of as many copies); "x run floor" divides the median re-merge by the one floor taken at the start.
Where mergekit has the method, the same merge through the mergekit CLI, disk to disk, in the same run.

    .venv/bin/python benchmarks/remerge.py --experts DIR DIR DIR [--methods ties,dare_ties] [--no-mergekit]
        [--threads 1] [--rounds 2] [--repeats 3] [--flat off] [--compare] [--device cuda]

``--device cuda`` merges on the GPU (the floor is then a copy on the GPU, and timings wait for the kernels);
``benchmarks/gpu_check.sh`` runs it with the CPU-versus-CUDA equality test where a GPU is lent.

The experts are model directories fine-tuned from the built-in base, e.g. the three that ``mixmerge experts``
or ``mixmerge demo`` trains (the figures in reports/BENCHMARKS.md used the demo's cached experts).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
import yaml
from mixmerge.merge_core.builtin import DEFAULT_BUILTIN, resolve_builtin
from mixmerge.merge_core.methods import METHODS, get_method
from mixmerge.merge_core.resident import ResidentMerger

WEIGHTS = [[0.5, 0.3, 0.2], [0.2, 0.6, 0.4], [0.9, 0.1, 0.3], [0.4, 0.4, 0.4], [0.7, 0.2, 0.5]]
#: fixed parameters per method for the benchmark (and the mergekit YAML of the same merge)
PARAMS = {
    "linear": {}, "task_arithmetic": {}, "ties": {"density": 0.5}, "dare_linear": {"density": 0.5},
    "dare_ties": {"density": 0.5}, "breadcrumbs": {"density": 0.9, "gamma": 0.01},
    "breadcrumbs_ties": {"density": 0.9, "gamma": 0.01}, "della": {"density": 0.5, "epsilon": 0.1},
    "della_linear": {"density": 0.5, "epsilon": 0.1},
    "model_stock": {}, "slerp": {}, "consensus": {}, "tsv_m": {}, "iso_c": {}, "iso_cts": {},
}
#: searched-knob variants: the per-candidate work then depends on the knob too
SEARCHED = {"ties": [["density"]], "dare_linear": [["density"]], "dare_ties": [["density"]],
            "breadcrumbs": [["density"]], "della": [["density"], ["density", "epsilon"]]}
#: the searched knobs' values, one per candidate of WEIGHTS (DELLA's stay within density +- epsilon in [0, 1])
KNOB_VALUES = {"density": (0.3, 0.5, 0.7, 0.4, 0.6), "epsilon": (0.05, 0.1, 0.15, 0.2, 0.25)}
#: methods whose per-candidate work is an SVD of every matrix (the weights enter before the decomposition)
SVD_PER_CANDIDATE = {"iso_c", "iso_cts"}
MERGEKIT = {"linear", "task_arithmetic", "ties", "dare_linear", "dare_ties", "breadcrumbs", "breadcrumbs_ties",
            "della", "della_linear", "model_stock", "slerp"}


def load_state(path: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    state: dict[str, torch.Tensor] = {}
    for f in sorted(path.glob("*.safetensors")):
        state.update({k: v.float() for k, v in load_file(f).items()})
    return state


DEVICE = torch.device("cpu")


def _wait() -> None:
    if DEVICE.type == "cuda":
        torch.cuda.synchronize(DEVICE)


def best_of(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        _wait()
        start = time.perf_counter()
        fn()
        _wait()
        times.append(time.perf_counter() - start)
    return min(times)


class FlatCopy:
    """The flat in-place copy of one model's bytes: the floor, re-measured beside every timed candidate."""

    def __init__(self, numel: int):
        # both buffers written first: an untouched ``torch.empty`` reads as the kernel's shared zero page, which
        # sits in cache, and a copy from it took 37 ms against 56 ms from written memory (2026-11-28)
        self.src, self.dst = torch.randn(numel, device=DEVICE), torch.zeros(numel, device=DEVICE)

    def seconds(self, streams: int, repeats: int = 3) -> float:
        return best_of(lambda: self.dst.copy_(self.src), max(3, repeats)) * streams / 2


def memory_floor(live: torch.nn.Module, base: dict[str, torch.Tensor], streams: int) -> float:
    """Seconds the fastest in-place copy needs for ``streams`` model-sized reads/writes.

    A copy moves two streams (one read, one write); the fastest of a per-tensor copy over the live model and
    one flat copy of the same bytes, scaled to ``streams``.
    """
    params = dict(live.named_parameters())
    srcs = [base[name] for name in params]

    def per_tensor():
        for p, s in zip(params.values(), srcs, strict=True):
            p.data.copy_(s)

    n = sum(p.numel() for p in params.values())
    flat_src, flat_dst = torch.randn(n, device=DEVICE), torch.zeros(n, device=DEVICE)  # written (see FlatCopy)
    per_tensor()
    flat = best_of(lambda: flat_dst.copy_(flat_src))
    tensorwise = best_of(per_tensor)
    return min(flat, tensorwise) * streams / 2


def run_mergekit(method: str, params: dict, base_dir: Path, experts: list[Path], workdir: Path) -> float:
    models = [{"model": str(e), "parameters": {"weight": w}} for e, w in zip(experts, WEIGHTS[0], strict=False)]
    config: dict = {"merge_method": method, "base_model": str(base_dir), "models": models, "dtype": "float32",
                    "parameters": dict(params)}
    if method == "slerp":
        config = {"merge_method": "slerp", "base_model": str(experts[0]), "dtype": "float32",
                  "models": [{"model": str(experts[0])}, {"model": str(experts[1])}], "parameters": {"t": 0.4}}
    if method == "linear":  # mergekit's linear averages the listed models; a base_model would need a weight too
        config.pop("base_model")
    if method == "model_stock":
        for m in config["models"]:
            m.pop("parameters")
    cfg = workdir / f"{method}.yml"
    cfg.write_text(yaml.safe_dump(config))
    out = workdir / f"out-{method}"
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "mergekit-yaml"), str(cfg), str(out), "--quiet",
                    "--no-copy-tokenizer", *(["--cuda"] if DEVICE.type == "cuda" else [])], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", nargs=3, type=Path, required=True)
    parser.add_argument("--methods", default=",".join(PARAMS))
    parser.add_argument("--no-mergekit", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="torch threads (default: all cores)")
    parser.add_argument("--rounds", type=int, default=1, help="time the five candidates this many times")
    parser.add_argument("--repeats", type=int, default=1,
                        help="best of this many applies per candidate (and copies per floor, at least 3)")
    parser.add_argument("--flat", choices=["on", "off"], default="on",
                        help="off: the tensor-by-tensor path (ResidentMerger(flat=False)), for comparison")
    parser.add_argument("--compare", action="store_true",
                        help="also time the tensor-by-tensor path on a second live model, candidate by candidate "
                             "alternating with the flat one (same load for both)")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    global DEVICE
    DEVICE = torch.device(args.device)

    from transformers import AutoModelForCausalLM

    base_dir = resolve_builtin(DEFAULT_BUILTIN)
    experts = args.experts
    base = {k: v.to(DEVICE) for k, v in load_state(base_dir).items()}
    deltas = [{k: v.to(DEVICE) - base[k] for k, v in load_state(e).items() if k in base} for e in experts]
    live = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32).to(DEVICE)
    model_gb = sum(p.numel() * 4 for p in live.parameters()) / 1e9
    floor = memory_floor(live, base, streams=5)
    copier = FlatCopy(sum(p.numel() for p in live.parameters()))
    other = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32).to(DEVICE) if args.compare else None
    print(f"model {model_gb:.2f} GB float32; memory floor (5 streams) {floor * 1e3:.1f} ms; "
          f"threads {torch.get_num_threads()}; device {DEVICE}"
          + (f" ({torch.cuda.get_device_name(DEVICE)})" if DEVICE.type == "cuda" else ""))

    rows = []
    names = [m for m in args.methods.split(",") if m in METHODS]
    workdir = Path(tempfile.mkdtemp(prefix="remerge-bench-"))
    variants = [(m, []) for m in names] + [(m, knobs) for m in names for knobs in SEARCHED.get(m, [])]
    for name, searched in variants:
        method = get_method(name)
        n = 2 if method.max_experts == 2 else 3
        gc.collect()
        # fresh copies per method, as a worker gets them: the merger moves them into its buffers, and its
        # resident figure does not depend on which merger laid the shared inputs out before
        fresh_base = {k: v.clone() for k, v in base.items()}
        fresh = [{k: v.clone() for k, v in d.items()} for d in deltas[:n]]
        merger = ResidentMerger(live, fresh_base, fresh, method, PARAMS.get(name, {}), searched=searched, seed=0,
                                expert_ids=["helpful", "harmless", "honest"][:n], flat=args.flat == "on")
        knobs = [{k: KNOB_VALUES[k][i] for k in searched} for i in range(len(WEIGHTS))]
        ref = None
        if other is not None and name not in SVD_PER_CANDIDATE:
            ref = ResidentMerger(other, fresh_base, fresh, method, PARAMS.get(name, {}), searched=searched, seed=0,
                                 expert_ids=["helpful", "harmless", "honest"][:n], flat=False)
            ref.apply(WEIGHTS[0][:n], knobs[0] if searched else None)
        del fresh_base, fresh
        times, ratios, ref_ratios = [], [], []
        if name in SVD_PER_CANDIDATE:  # minutes per candidate: one timed candidate, nothing to warm up
            floors = [copier.seconds(5)]
            times = [merger.apply(WEIGHTS[1][:n])]
        else:
            merger.apply(WEIGHTS[0][:n], knobs[0] if searched else None)  # warm-up (compiles the fused sum once)
            floors = []
            for _ in range(args.rounds):
                for i, w in enumerate(WEIGHTS):
                    floors.append(copier.seconds(5, args.repeats))  # the floor right before: the same load
                    times.append(min(merger.apply(w[:n], knobs[i] if searched else None)
                                     for _ in range(args.repeats)))
                    if ref is not None:
                        ref_ratios.append(min(ref.apply(w[:n], knobs[i] if searched else None)
                                              for _ in range(args.repeats)) / floors[-1])
        ratios = [t / f for t, f in zip(times, floors, strict=True)]
        per_candidate = statistics.median(times)
        row = {"method": name + (f" (searched {','.join(searched)})" if searched else ""),
               "path": "flat" if merger._flat is not None else "per tensor",
               "precompute_s": merger.precompute_seconds, "resident_gb": merger.resident_bytes() / 1e9,
               "state_gb": merger.state_bytes() / 1e9, "remerge_s": per_candidate,
               "x_floor": statistics.median(ratios), "x_run_floor": per_candidate / floor,
               "floor_s": statistics.median(floors), "mergekit_s": None, "mergekit_x": None,
               "per_tensor_x_floor": statistics.median(ref_ratios) if ref_ratios else None}
        del ref
        del merger
        if name in MERGEKIT and not searched and not args.no_mergekit:
            try:
                row["mergekit_s"] = run_mergekit(name, PARAMS.get(name, {}), base_dir, experts[:n], workdir)
                row["mergekit_x"] = row["mergekit_s"] / per_candidate
            except subprocess.CalledProcessError as err:
                print(f"mergekit {name} failed: {err.stderr.decode()[-300:]}", flush=True)
        rows.append(row)
        print(f"{row['method']:<30} {row['path']:<10} precompute {row['precompute_s']:7.2f} s  resident "
              f"{row['resident_gb']:5.2f} GB  re-merge {row['remerge_s'] * 1e3:8.1f} ms = {row['x_floor']:6.2f}x floor "
              f"beside it ({row['floor_s'] * 1e3:.0f} ms), {row['x_run_floor']:6.2f}x run floor"
              + (f", per tensor {row['per_tensor_x_floor']:.2f}x" if row["per_tensor_x_floor"] else "")
              + (f"  mergekit CLI {row['mergekit_s']:6.1f} s = {row['mergekit_x']:6.0f}x ours" if row["mergekit_s"]
                 else ""), flush=True)

    compare = " per tensor × floor |" if args.compare else ""
    print(f"\n| method | path | precompute (s) | resident (GB) | re-merge (ms) | × floor beside it |{compare} "
          "× run floor | mergekit CLI (s) | mergekit ÷ ours |")
    print("|---|---|---|---|---|---|---|---|---|" + ("---|" if args.compare else ""))
    for r in rows:
        mk = f"{r['mergekit_s']:.1f} | {r['mergekit_x']:.0f}×" if r["mergekit_s"] else "— | —"
        pt = "" if not args.compare else (f" {r['per_tensor_x_floor']:.2f} |" if r["per_tensor_x_floor"] else " — |")
        print(f"| {r['method']} | {r['path']} | {r['precompute_s']:.2f} | {r['resident_gb']:.2f} | "
              f"{r['remerge_s'] * 1e3:.0f} | {r['x_floor']:.2f} |{pt} {r['x_run_floor']:.2f} | {mk} |")
    if args.json:
        args.json.write_text(json.dumps({"floor_s": floor, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
