"""Loading a model to evaluate from what a user names: a model directory, a PEFT adapter, or ``builtin:NAME``.

Why here and not in merge_core: the CLI evaluates any model a user points at, including a LoRA adapter
whose base is the built-in model; workers instead hand the live model object straight to ``evaluate``.
Only safetensors weights are loaded (pickled ``.bin`` checkpoints can run code).
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from mixmerge.merge_core.builtin import is_builtin, resolve_builtin


def _resolve(ref: str) -> Path:
    if is_builtin(ref):
        return resolve_builtin(ref)
    path = Path(ref).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(f"model {ref}: no such directory (give a model directory, a PEFT adapter "
                                "directory, or builtin:smollm2-135m-instruct)")
    return path


def load_model(ref: str, *, dtype: torch.dtype = torch.float32):
    """(model in eval mode, tokenizer) for a model directory, a PEFT adapter directory or ``builtin:NAME``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = _resolve(str(ref))
    adapter_cfg = path / "adapter_config.json"
    if adapter_cfg.is_file():
        from peft import PeftModel

        base_ref = json.loads(adapter_cfg.read_text()).get("base_model_name_or_path")
        if not base_ref:
            raise ValueError(f"{adapter_cfg}: field 'base_model_name_or_path' is missing; cannot find the base model")
        base_path = _resolve(str(base_ref))
        base = AutoModelForCausalLM.from_pretrained(base_path, dtype=dtype, use_safetensors=True)
        model = PeftModel.from_pretrained(base, path).eval()
        tok_dir = path if (path / "tokenizer_config.json").is_file() else base_path
    else:
        if not (path / "config.json").is_file():
            raise ValueError(f"model {ref}: {path} has neither config.json nor adapter_config.json")
        model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype, use_safetensors=True).eval()
        tok_dir = path
    tokenizer = AutoTokenizer.from_pretrained(tok_dir)
    return model, tokenizer
