"""Tiny random LlamaForCausalLM checkpoints and a mergekit runner, for plumbing and parity tests.

Tiny random models test plumbing only; figures come from the real model.
"""

from __future__ import annotations

from pathlib import Path

import torch
import yaml

TINY_CONFIG = dict(
    vocab_size=96,
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    max_position_embeddings=64,
    tie_word_embeddings=True,
)


def tiny_config(**overrides):
    from transformers import LlamaConfig

    return LlamaConfig(**{**TINY_CONFIG, **overrides})


def tiny_model(seed: int = 0, **overrides):
    """A random-initialised tiny Llama (tied embeddings by default, like SmolLM2)."""
    from transformers import LlamaForCausalLM

    torch.manual_seed(seed)
    return LlamaForCausalLM(tiny_config(**overrides)).eval()


def fine_tune_like(base, seed: int, scale: float = 0.02):
    """A copy of ``base`` whose every parameter moved by a small seeded random delta (a stand-in expert)."""
    import copy

    model = copy.deepcopy(base)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=gen) * scale * (p.abs().mean() + 1e-3))
    return model


def save(model, path: Path) -> Path:
    path = Path(path)
    model.save_pretrained(path, safe_serialization=True)
    return path


def tiny_family(tmp_path: Path, n_experts: int = 3, seed: int = 0, scale: float = 0.02):
    """Save a tiny base and ``n_experts`` fine-tune-like experts; return (base_dir, [expert_dirs])."""
    base = tiny_model(seed)
    base_dir = save(base, tmp_path / "base")
    experts = [save(fine_tune_like(base, seed + 100 + i, scale), tmp_path / f"expert{i}") for i in range(n_experts)]
    return base_dir, experts


def run_mergekit(config: dict, out_dir: Path) -> dict[str, torch.Tensor]:
    """Run mergekit itself on a recipe dict; return the merged state dict (float32)."""
    from mergekit.config import MergeConfiguration
    from mergekit.merge import run_merge
    from mergekit.options import MergeOptions
    from safetensors.torch import load_file

    merge_config = MergeConfiguration.model_validate(config)
    run_merge(merge_config, str(out_dir), options=MergeOptions(copy_tokenizer=False, quiet=True, lazy_unpickle=False))
    tensors: dict[str, torch.Tensor] = {}
    for f in sorted(Path(out_dir).glob("*.safetensors")):
        tensors.update({k: v.float() for k, v in load_file(f).items()})
    return tensors


def dump_yaml(config: dict, path: Path) -> Path:
    path.write_text(yaml.safe_dump(config))
    return path
