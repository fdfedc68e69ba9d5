"""The expert x objective table: the base and each trained expert scored on the H3 dev split.

For each expert, a paired bootstrap over the items of its *own* objective tests whether it beats the base
(one-sided p = 1 - P(expert better)); the other columns show the trade-offs. Experts are the directories
``mixmerge experts`` writes (full models or PEFT adapters, which are merged into the base to evaluate).

    .venv/bin/python benchmarks/expert_table.py --experts runs/experts-sft [--fidelity N] [--cache-dir DIR]
        [--suite public --data-dir ../shared/data]

Give each suite its own ``--cache-dir``: cached scores are keyed by row and objective only.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402
from mixmerge.merge_core.builtin import DEFAULT_BUILTIN  # noqa: E402
from mixmerge.objectives.objective import EvalSettings  # noqa: E402
from mixmerge.objectives.registry import build_objective, evaluate  # noqa: E402
from mixmerge.objectives.scoring import paired_bootstrap  # noqa: E402
from mixmerge.training.trainer import base_path, load_tokenizer  # noqa: E402


def load(path: Path, base: Path):
    from transformers import AutoModelForCausalLM

    if (path / "adapter_config.json").is_file():
        from peft import PeftModel

        model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
        return PeftModel.from_pretrained(model, path).merge_and_unload().eval()
    return AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()


def scores_of(model, tok, objectives, settings) -> dict:
    t0 = time.perf_counter()
    scores = evaluate(model, tok, objectives, settings)
    out = {name: {"value": s.value, "ci": [s.ci_low, s.ci_high], "n": s.n,
                  "items": {it.id: it.score for it in s.per_item}} for name, s in scores.items()}
    out["_seconds"] = time.perf_counter() - t0
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--experts", required=True, help="folder with one sub-folder per expert")
    ap.add_argument("--base", default=DEFAULT_BUILTIN)
    ap.add_argument("--objectives", default="helpful,harmless,honest")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--suite", choices=("builtin", "public"), default="builtin",
                    help="the built-in H3 suite, or the one built from the shared public data sets")
    ap.add_argument("--data-dir", default=None, help="the shared public data (with --suite public)")
    ap.add_argument("--fidelity", type=int, default=None, help="a seeded subset of N items per objective")
    ap.add_argument("--cache-dir", default=None, help="scores per row and objective (<row>.<objective>.json), "
                    "reused if present")
    ap.add_argument("--only", default=None, help="compute and cache this one row (base or an expert), then stop")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--out", default=None, help="write the table's data as JSON")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    names = args.objectives.split(",")
    objectives = [build_objective(n, split=args.split, suite=args.suite, data_dir=args.data_dir,
                                  fidelity=args.fidelity) for n in names]
    settings = EvalSettings(autocast_bf16=True)
    bpath = base_path(args.base)
    tok = load_tokenizer(bpath)
    cache = Path(args.cache_dir) if args.cache_dir else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    experts = {p.name: p for p in sorted(Path(args.experts).iterdir()) if p.is_dir() and not p.name.startswith(".")}
    paths = {"base": bpath, **experts}
    rows = {}
    for row, path in paths.items():
        if args.only and row != args.only:
            continue
        # one cache file per row and objective, so a table can grow by a row or a column without rescoring
        files = {o.name: cache / f"{row}.{o.name}.json" for o in objectives} if cache else {}
        cached = {n: json.loads(f.read_text()) for n, f in files.items() if f.is_file()}
        todo = [o for o in objectives if o.name not in cached]
        fresh = scores_of(load(path, bpath), tok, todo, settings) if todo else {"_seconds": 0.0}
        for o in todo:
            if cache:
                files[o.name].write_text(json.dumps({**fresh[o.name], "_seconds": fresh["_seconds"] / len(todo)}))
        rows[row] = {**{n: {k: v for k, v in c.items() if k != "_seconds"} for n, c in cached.items()},
                     **{o.name: fresh[o.name] for o in todo},
                     "_seconds": sum(c.get("_seconds", 0.0) for c in cached.values()) + fresh["_seconds"]}
    if args.only:
        return
    base_scores = rows["base"]

    tests = {}
    for exp in experts:
        if exp in names:
            ids = sorted(base_scores[exp]["items"])
            cmp = paired_bootstrap([rows[exp][exp]["items"][i] for i in ids],
                                   [base_scores[exp]["items"][i] for i in ids])
            tests[exp] = {**cmp, "p_one_sided": 1.0 - cmp["p_better"]}

    subset = f", seeded subset of {args.fidelity} items per objective" if args.fidelity else ""
    print(f"\n{args.suite} suite, {args.split} split{subset}; scores in [0, 1] with 95% bootstrap intervals; "
          f"experts in {args.experts}")
    print("| model | " + " | ".join(names) + " | own objective: diff vs base [95% CI], one-sided p |")
    print("|---|" + "---|" * len(names) + "---|")
    for row, sc in rows.items():
        cells = [f"{sc[n]['value']:.3f} [{sc[n]['ci'][0]:.3f}, {sc[n]['ci'][1]:.3f}]" for n in names]
        t = tests.get(row)
        test = (f"{t['diff']:+.3f} [{t['ci_low']:+.3f}, {t['ci_high']:+.3f}], p={t['p_one_sided']:.4f}" if t else "")
        print(f"| {row} | " + " | ".join(cells) + f" | {test} |")
    print("eval seconds: " + ", ".join(f"{r}={sc['_seconds']:.0f}" for r, sc in rows.items()))
    if args.out:
        Path(args.out).write_text(json.dumps({"rows": {r: {n: {k: v for k, v in sc[n].items() if k != "items"}
                                                              for n in names} for r, sc in rows.items()},
                                              "tests": tests}, indent=2))


if __name__ == "__main__":
    main()
