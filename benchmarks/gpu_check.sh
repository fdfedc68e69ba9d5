#!/usr/bin/env bash
# Issue 2's GPU check, for a session that is lent a device: the CPU-versus-CUDA equality test of the resident
# merge (every method, tiny models), then the resident re-merge benchmark on the GPU with the real model.
#
#   bash benchmarks/gpu_check.sh EXPERT_DIR EXPERT_DIR EXPERT_DIR     (PY=python by default)
#
# Needs a Python with CUDA torch and the project installed; the benchmark also needs the built-in model and
# three experts (`mixmerge demo` trains them into ~/.cache/mixmerge/experts). Without expert directories only
# the equality test runs.
set -euo pipefail
PY=${PY:-python}
"$PY" -c "import torch; assert torch.cuda.is_available(), 'no CUDA device'; print(torch.cuda.get_device_name())"
"$PY" -m pytest -q -p no:cacheprovider tests/test_resident_cuda.py
if [ "$#" -eq 3 ]; then
    "$PY" benchmarks/remerge.py --device cuda --repeats 3 --experts "$@"
fi
