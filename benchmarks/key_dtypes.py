"""Why resident keys are int32: a compiled keep-and-scale pass over one key dtype after another.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/key_dtypes.py [--numel 16777216]

The pass is the shape of a searched-density merge's inner step, ``out = where(key < hi, x, 0) * 2``, compiled
by torch.compile (inductor, C++ on the CPU). Prints milliseconds (best of 5) and the ratio to int32 keys.
"""

from __future__ import annotations

import argparse
import time

import torch


def keep_and_scale(out: torch.Tensor, x: torch.Tensor, key: torch.Tensor, hi: torch.Tensor) -> None:
    out.copy_(torch.where(key < hi, x, 0.0) * 2.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numel", type=int, default=1 << 24)
    args = parser.parse_args()
    torch.set_num_threads(1)
    x, out = torch.randn(args.numel), torch.empty(args.numel)
    levels = torch.randint(0, 1 << 16, (args.numel,), dtype=torch.int32)
    keys = {"int32": levels, "int16": (levels - (1 << 15)).to(torch.int16), "uint8": (levels >> 8).to(torch.uint8),
            "float32": levels.float()}
    compiled = torch.compile(keep_and_scale, dynamic=True)
    times = {}
    for name, key in keys.items():
        hi = torch.tensor(100, dtype=key.dtype)
        compiled(out, x, key, hi)
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            compiled(out, x, key, hi)
            best = min(best, time.perf_counter() - start)
        times[name] = best
    print("| key dtype | ms | × int32 |\n|---|---|---|")
    for name, seconds in times.items():
        print(f"| {name} | {seconds * 1e3:.1f} | {seconds / times['int32']:.2f} |")


if __name__ == "__main__":
    main()
