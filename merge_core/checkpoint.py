"""Reading models and experts from disk, one tensor at a time.

Three kinds of reference are accepted wherever a model is named:

* a Hugging Face model directory with safetensors weights (``model.safetensors``, or shards listed in
  ``model.safetensors.index.json``); pickled ``.bin`` weights only with ``allow_pickle=True``, because
  unpickling runs code from the file;
* ``builtin:smollm2-135m-instruct`` (the embedded GGUF model, converted once by ``resolve_builtin``);
* for experts only, a PEFT LoRA adapter directory (``adapter_config.json`` + ``adapter_model.safetensors``):
  its task vector is ``scaling * B @ A`` per target module, kept factored as a ``LowRankDelta``.

Tied embeddings are one tensor. SmolLM2's ``lm_head.weight`` *is* ``model.embed_tokens.weight`` and its
safetensors file holds only the latter; ``canonical_name`` maps the former to the latter whenever the config
says ``tie_word_embeddings``, so a coefficient, a group or a delta naming either acts on that one tensor once.

Tensors are read lazily through ``safe_open``; nothing here loads a whole model unless asked to.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import torch
from mixmerge.merge_core.builtin import is_builtin, resolve_builtin
from mixmerge.merge_core.hashing import hash_json, hash_tensors
from mixmerge.merge_core.lowrank import LowRankDelta

log = logging.getLogger(__name__)

Tensor = torch.Tensor

SAFETENSORS_SINGLE = "model.safetensors"
SAFETENSORS_INDEX = "model.safetensors.index.json"
PICKLE_SINGLE = "pytorch_model.bin"
PICKLE_INDEX = "pytorch_model.bin.index.json"
ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
ADAPTER_WEIGHTS_PICKLE = "adapter_model.bin"
PROVENANCE_FILE = "mixmerge_provenance.json"

#: output-embedding name -> input-embedding name, for architectures whose config can tie them
TIED_OUTPUT_TO_INPUT = {
    "lm_head.weight": "model.embed_tokens.weight",  # Llama, Mistral, Qwen2, SmolLM2 ...
}

#: safetensors dtype codes -> torch dtypes
_ST_DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}
for _code, _attr in (("F8_E4M3", "float8_e4m3fn"), ("F8_E5M2", "float8_e5m2"), ("U16", "uint16"),
                     ("U32", "uint32"), ("U64", "uint64")):
    if hasattr(torch, _attr):
        _ST_DTYPES[_code] = getattr(torch, _attr)


class CheckpointError(ValueError):
    """A model or expert reference that cannot be used as given; the message says what to do."""


def is_tied(config: dict[str, Any]) -> bool:
    """Whether the config ties the output embedding to the input embedding.

    transformers' own default is ``True`` (``PretrainedConfig``) but Llama's config class defaults to
    ``False``; every config.json written by transformers states the value, so an absent key means "not tied"
    only for configs we did not write; for those ``Checkpoint`` also checks which tensors the files hold.
    """
    return bool(config.get("tie_word_embeddings", False))


def canonical_name(name: str, config: dict[str, Any]) -> str:
    """The name of the tensor that actually stores ``name``: tied ``lm_head.weight`` -> input embedding."""
    if is_tied(config) and name in TIED_OUTPUT_TO_INPUT:
        return TIED_OUTPUT_TO_INPUT[name]
    return name


def _resolve_ref(ref: str | os.PathLike) -> Path:
    if is_builtin(ref):
        return resolve_builtin(str(ref))
    path = Path(ref).expanduser()
    if not path.exists():
        raise CheckpointError(f"model path not found: {str(ref)!r}; give an existing model directory, a PEFT "
                              f"adapter directory, or builtin:smollm2-135m-instruct")
    return path


def is_peft_adapter(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a PEFT adapter directory (it has ``adapter_config.json``)."""
    return not is_builtin(path) and (Path(path) / ADAPTER_CONFIG).is_file()


def _load_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise CheckpointError(f"{path} is not valid JSON ({err}); re-save the model") from None


class _SafetensorsStore:
    """Lazy per-tensor access to one or more safetensors files (open handles are kept)."""

    def __init__(self, files: dict[str, Path]):
        self.files = files  # tensor name -> file
        self._handles: dict[Path, Any] = {}

    def handle(self, file: Path):
        if file not in self._handles:
            from safetensors import safe_open

            self._handles[file] = safe_open(str(file), framework="pt", device="cpu")
        return self._handles[file]

    def shape(self, name: str) -> tuple[int, ...]:
        return tuple(self.handle(self.files[name]).get_slice(name).get_shape())

    def dtype_code(self, name: str) -> str:
        return self.handle(self.files[name]).get_slice(name).get_dtype()

    def get(self, name: str) -> Tensor:
        return self.handle(self.files[name]).get_tensor(name)


class _PickleStore:
    """Per-tensor access to pickled ``.bin`` shards, memory-mapped and with ``weights_only`` unpickling."""

    def __init__(self, files: dict[str, Path]):
        self.files = files
        self._loaded: dict[Path, dict[str, Tensor]] = {}

    def _file(self, file: Path) -> dict[str, Tensor]:
        if file not in self._loaded:
            self._loaded[file] = torch.load(file, map_location="cpu", weights_only=True, mmap=True)
        return self._loaded[file]

    def shape(self, name: str) -> tuple[int, ...]:
        return tuple(self._file(self.files[name])[name].shape)

    def dtype_code(self, name: str) -> str:
        dtype = self._file(self.files[name])[name].dtype
        return next((code for code, d in _ST_DTYPES.items() if d == dtype), str(dtype))

    def get(self, name: str) -> Tensor:
        return self._file(self.files[name])[name]


def _weight_files(path: Path, allow_pickle: bool, single: str, index: str, pickle_single: str,
                  pickle_index: str, what: str) -> tuple[dict[str, Path], str]:
    """tensor name -> file, and the format ("safetensors" or "pickle"), of a directory's weights."""
    if (path / index).is_file():
        weight_map = _load_json(path / index).get("weight_map", {})
        return {k: path / v for k, v in weight_map.items()}, "safetensors"
    if (path / single).is_file():
        from safetensors import safe_open

        with safe_open(str(path / single), framework="pt") as f:
            return {k: path / single for k in f.keys()}, "safetensors"
    other_st = sorted(path.glob("*.safetensors"))
    if other_st and not (path / pickle_index).is_file() and not (path / pickle_single).is_file():
        from safetensors import safe_open

        files: dict[str, Path] = {}
        for file in other_st:
            with safe_open(str(file), framework="pt") as f:
                files.update({k: file for k in f.keys()})
        return files, "safetensors"
    pickled = (path / pickle_index).is_file() or (path / pickle_single).is_file()
    if pickled:
        if not allow_pickle:
            raise CheckpointError(
                f"{what} {path} has only pickled .bin weights, which can run code when loaded; convert it to "
                f"safetensors, or pass allow_pickle=True (CLI: --allow-pickle) if you trust its source")
        if (path / pickle_index).is_file():
            weight_map = _load_json(path / pickle_index).get("weight_map", {})
            return {k: path / v for k, v in weight_map.items()}, "pickle"
        state = torch.load(path / pickle_single, map_location="cpu", weights_only=True, mmap=True)
        return {k: path / pickle_single for k in state}, "pickle"
    raise CheckpointError(f"{what} {path} has no weights ({single}, {index} or {pickle_single}); "
                          f"point to a Hugging Face model directory")


class Checkpoint:
    """A full model on disk: config, canonical tensor names, lazy per-tensor reads, a content hash."""

    def __init__(self, path: Path, ref: str, allow_pickle: bool = False):
        self.path = path
        self.ref = ref
        if not path.is_dir():
            raise CheckpointError(f"model reference {ref!r} is not a directory; give a Hugging Face model "
                                  f"directory (config.json + safetensors weights)")
        if (path / ADAPTER_CONFIG).is_file():
            raise CheckpointError(f"{ref!r} is a PEFT adapter, not a full model; it can be an expert but the "
                                  f"base model must be a full model directory")
        if not (path / "config.json").is_file():
            raise CheckpointError(f"model directory {path} has no config.json; save it with save_pretrained")
        self.config: dict[str, Any] = _load_json(path / "config.json")
        files, self.format = _weight_files(path, allow_pickle, SAFETENSORS_SINGLE, SAFETENSORS_INDEX,
                                           PICKLE_SINGLE, PICKLE_INDEX, "model directory")
        self._store = _SafetensorsStore(files) if self.format == "safetensors" else _PickleStore(files)
        # Tied if the config says so, or (config silent) if the files hold no output embedding at all.
        self.tied = is_tied(self.config) or (
            "tie_word_embeddings" not in self.config
            and any(out not in files and inp in files for out, inp in TIED_OUTPUT_TO_INPUT.items()))
        tied_config = {**self.config, "tie_word_embeddings": self.tied}
        self._canonical = {name: canonical_name(name, tied_config) for name in files}
        # A file may carry a tied duplicate (both names); the canonical name reads the input embedding.
        self._names = sorted({c for c in self._canonical.values() if c in files})

    def __repr__(self) -> str:
        return f"Checkpoint({self.ref!r})"

    @property
    def architecture(self) -> str:
        archs = self.config.get("architectures") or []
        return str(archs[0]) if archs else str(self.config.get("model_type", "unknown"))

    def canonical(self, name: str) -> str:
        """``name`` as stored: the tied output embedding maps to the input embedding."""
        return canonical_name(name, {"tie_word_embeddings": self.tied})

    def names(self) -> list[str]:
        """Canonical tensor names, sorted, tied duplicates removed."""
        return list(self._names)

    def __contains__(self, name: str) -> bool:
        return self.canonical(name) in self._store.files

    def _stored(self, name: str) -> str:
        c = self.canonical(name)
        if c not in self._store.files:
            raise CheckpointError(f"tensor {name!r} is not in model {self.ref!r}")
        return c

    def shape(self, name: str) -> tuple[int, ...]:
        return self._store.shape(self._stored(name))

    def dtype_code(self, name: str) -> str:
        """The stored dtype as safetensors spells it ("F32", "BF16", "I64" ...)."""
        return self._store.dtype_code(self._stored(name))

    def dtype(self, name: str) -> torch.dtype | None:
        """The stored torch dtype, or ``None`` for one torch cannot represent."""
        return _ST_DTYPES.get(self.dtype_code(name))

    def get(self, name: str) -> Tensor:
        """One tensor, read from disk now (in its stored dtype)."""
        return self._store.get(self._stored(name))

    def items(self) -> Iterator[tuple[str, Tensor]]:
        for name in self._names:
            yield name, self.get(name)

    def nbytes(self, name: str) -> int:
        shape = self.shape(name)
        numel = 1
        for s in shape:
            numel *= s
        dtype = self.dtype(name)
        return numel * (torch.empty((), dtype=dtype).element_size() if dtype is not None else 1)

    @cached_property
    def floating_dtype(self) -> torch.dtype:
        """The dtype of the model's floating-point weights (the most common one): default export dtype."""
        counts: dict[torch.dtype, int] = {}
        for name in self._names:
            dtype = self.dtype(name)
            if dtype is not None and dtype.is_floating_point:
                counts[dtype] = counts.get(dtype, 0) + 1
        return max(counts, key=counts.get) if counts else torch.float32

    def content_hash(self) -> str:
        """``sha256:...`` of the weights (canonical names, dtypes, shapes, bytes); computed once."""
        if not hasattr(self, "_hash"):
            self._hash = hash_tensors(self._names, self.get)
        return self._hash


def open_checkpoint(ref: str | os.PathLike, allow_pickle: bool = False) -> Checkpoint:
    """Open a full model: a directory or ``builtin:NAME``. Raises ``CheckpointError`` naming the fix."""
    return Checkpoint(_resolve_ref(ref), str(ref), allow_pickle=allow_pickle)


# ---------------------------------------------------------------------------------------------------------
# PEFT LoRA adapters


_PEFT_PREFIX = "base_model.model."
_LORA_RE = re.compile(r"^(?P<module>.+)\.(?P<part>lora_A|lora_B)(?:\.[^.]+)?\.weight$")
_LORA_EMB_RE = re.compile(r"^(?P<module>.+)\.(?P<part>lora_embedding_A|lora_embedding_B)(?:\.[^.]+)?$")


def _pattern_value(patterns: dict[str, Any], module: str, default: Any) -> Any:
    """PEFT's ``rank_pattern``/``alpha_pattern`` lookup: a key matches a module name suffix as a regex."""
    for pattern, value in patterns.items():
        if re.match(rf"(.*\.)?({pattern})$", module):
            return value
    return default


@dataclass
class LoraAdapter:
    """A PEFT LoRA adapter: ``scaling * B @ A`` per target module, plus any fully saved modules."""

    path: Path
    ref: str
    config: dict[str, Any]
    #: canonical base tensor name -> factored delta
    low_rank: dict[str, LowRankDelta] = field(default_factory=dict)
    #: canonical base tensor name -> full weight saved in the adapter (modules_to_save, resized embeddings)
    full: dict[str, Tensor] = field(default_factory=dict)

    @property
    def architecture(self) -> str | None:
        mapping = self.config.get("auto_mapping") or {}
        return mapping.get("base_model_class")

    def target_names(self) -> list[str]:
        return sorted(set(self.low_rank) | set(self.full))

    def content_hash(self) -> str:
        """Hash of the adapter weights and of the config fields that change the delta."""
        if not hasattr(self, "_hash"):
            tensors: dict[str, Tensor] = {}
            for name, d in self.low_rank.items():
                tensors[f"{name}.A"], tensors[f"{name}.B"] = d.A, d.B
                tensors[f"{name}.scaling"] = torch.tensor([d.scaling], dtype=torch.float64)
            tensors.update({f"{name}.full": t for name, t in self.full.items()})
            self._hash = hash_tensors(tensors, tensors.__getitem__)
        return self._hash


def open_adapter(ref: str | os.PathLike, tied: bool, allow_pickle: bool = False) -> LoraAdapter:
    """Read a PEFT LoRA adapter directory into factored deltas keyed by canonical base tensor names.

    ``tied`` is whether the base ties its embeddings (targets on ``lm_head`` then land on the input
    embedding). Only plain LoRA is accepted: DoRA, LoRA biases and other PEFT types change the weights in
    ways ``B @ A`` does not describe, and are refused rather than merged wrongly.
    """
    path = _resolve_ref(ref)
    config = _load_json(path / ADAPTER_CONFIG)
    if config.get("peft_type", "LORA") != "LORA":
        raise CheckpointError(f"adapter {str(ref)!r} is a {config.get('peft_type')} adapter; only LoRA adapters "
                              f"can be experts (merge it into its base with peft's merge_and_unload first)")
    for flag in ("use_dora", "lora_bias"):
        if config.get(flag):
            raise CheckpointError(f"adapter {str(ref)!r} sets {flag}=true, whose delta is not B @ A; merge it "
                                  f"with peft's merge_and_unload and give the full model instead")
    if config.get("bias", "none") != "none":
        raise CheckpointError(f"adapter {str(ref)!r} trains biases (bias={config['bias']!r}); merge it with "
                              f"peft's merge_and_unload and give the full model instead")
    if (path / ADAPTER_WEIGHTS).is_file():
        from safetensors.torch import load_file

        raw = load_file(str(path / ADAPTER_WEIGHTS))
    elif (path / ADAPTER_WEIGHTS_PICKLE).is_file():
        if not allow_pickle:
            raise CheckpointError(f"adapter {str(ref)!r} has only pickled weights ({ADAPTER_WEIGHTS_PICKLE}), which "
                                  f"can run code when loaded; convert it to safetensors, or pass "
                                  f"allow_pickle=True (CLI: --allow-pickle) if you trust its source")
        raw = torch.load(path / ADAPTER_WEIGHTS_PICKLE, map_location="cpu", weights_only=True)
    else:
        raise CheckpointError(f"adapter directory {path} has no {ADAPTER_WEIGHTS}; re-save it with save_pretrained")

    r_default, alpha_default = int(config.get("r", 8)), float(config.get("lora_alpha", 8))
    fan_in_fan_out = bool(config.get("fan_in_fan_out", False))
    tied_cfg = {"tie_word_embeddings": tied}
    parts: dict[tuple[str, bool], dict[str, Tensor]] = {}
    full: dict[str, Tensor] = {}
    for key, tensor in raw.items():
        name = key.removeprefix(_PEFT_PREFIX)
        if m := _LORA_RE.match(name):
            parts.setdefault((m["module"], False), {})[m["part"][-1]] = tensor
        elif m := _LORA_EMB_RE.match(name):
            parts.setdefault((m["module"], True), {})[m["part"][-1]] = tensor
        elif name.endswith(".weight"):
            # a whole module saved with the adapter: modules_to_save copies, or embeddings (base_layer)
            module = re.sub(r"\.modules_to_save(\.[^.]+)?(?=\.weight$)", "", name).replace(".base_layer", "")
            full[canonical_name(module, tied_cfg)] = tensor
        else:
            raise CheckpointError(f"adapter {str(ref)!r} holds tensor {key!r}, which is not a LoRA factor or a "
                                  f"saved module; only plain LoRA adapters are supported")

    low_rank: dict[str, LowRankDelta] = {}
    for (module, is_embedding), ab in parts.items():
        if set(ab) != {"A", "B"}:
            raise CheckpointError(f"adapter {str(ref)!r}: module {module!r} has lora_{''.join(ab)} but not both "
                                  f"lora_A and lora_B; the adapter file is incomplete")
        A, B = ab["A"], ab["B"]
        r = _pattern_value(config.get("rank_pattern") or {}, module, r_default)
        alpha = float(_pattern_value(config.get("alpha_pattern") or {}, module, alpha_default))
        if int(A.shape[0]) != int(r):
            log.debug("adapter %s: module %s has rank %d (config says %s)", ref, module, A.shape[0], r)
        r = int(A.shape[0])
        scaling = alpha / (r ** 0.5) if config.get("use_rslora") else alpha / r
        if is_embedding:
            # nn.Embedding weight is (num_embeddings, dim); PEFT's delta is (B @ A).T * scaling
            delta = LowRankDelta(A=B.T.contiguous(), B=A.T.contiguous(), scaling=scaling)
        elif fan_in_fan_out:
            # Conv1D-style weights are stored transposed: delta = (B @ A).T * scaling
            delta = LowRankDelta(A=B.T.contiguous(), B=A.T.contiguous(), scaling=scaling)
        else:
            delta = LowRankDelta(A=A, B=B, scaling=scaling)
        target = canonical_name(f"{module}.weight", tied_cfg)
        if target in low_rank:  # tied pair both targeted: both adapters act on the one tensor, so add them
            prev = low_rank[target]
            delta = LowRankDelta(A=torch.cat([prev.A.float() * prev.scaling, delta.A.float() * delta.scaling]),
                                 B=torch.cat([prev.B.float(), delta.B.float()], dim=1), scaling=1.0)
        low_rank[target] = delta
    if not low_rank and not full:
        raise CheckpointError(f"adapter {str(ref)!r} holds no LoRA weights")
    return LoraAdapter(path=path, ref=str(ref), config=config, low_rank=low_rank, full=full)


Expert = Checkpoint | LoraAdapter


def open_expert(ref: str | os.PathLike, base: Checkpoint, allow_pickle: bool = False) -> Expert:
    """A full model or a LoRA adapter, whichever ``ref`` is (adapters are read against ``base``'s tying)."""
    if is_peft_adapter(ref):
        return open_adapter(ref, tied=base.tied, allow_pickle=allow_pickle)
    return open_checkpoint(ref, allow_pickle=allow_pickle)


def expert_delta(base: Checkpoint, expert: Expert, name: str, base_tensor: Tensor | None = None
                 ) -> Tensor | LowRankDelta | None:
    """The task vector of one tensor, float32: ``expert - base``; ``None`` where a LoRA leaves it unchanged.

    ``base_tensor`` (the base's float32 values, if the caller already has them) saves a read.
    """
    name = base.canonical(name)
    if isinstance(expert, LoraAdapter):
        low = expert.low_rank.get(name)
        if name in expert.full:
            b = base.get(name).float() if base_tensor is None else base_tensor
            dense = expert.full[name].float() - b
            if not torch.any(dense):  # a saved copy of the base module (PEFT saves embeddings whole)
                return low
            return dense if low is None else dense + low.dense()
        return low
    b = base.get(name).float() if base_tensor is None else base_tensor
    return expert.get(name).float() - b


def load_task_vectors(base: Checkpoint, expert_ref: str | os.PathLike | Expert, allow_pickle: bool = False
                      ) -> dict[str, Tensor | LowRankDelta]:
    """Every task vector of one expert, keyed by canonical base tensor name, float32.

    A full model gives a dense ``expert - base`` for every tensor of the base. A LoRA adapter gives a
    ``LowRankDelta`` for each target module (dense tensors for modules it saves whole) and **omits** every
    tensor it does not touch: an absent name means a zero delta. Callers densify (``lowrank.densify``) when a
    method needs the dense matrix. Validation (``validate.validate_experts``) should run first: this function
    assumes the names and shapes match.
    """
    expert = expert_ref if isinstance(expert_ref, (Checkpoint, LoraAdapter)) else open_expert(
        expert_ref, base, allow_pickle=allow_pickle)
    out: dict[str, Tensor | LowRankDelta] = {}
    names = base.names() if isinstance(expert, Checkpoint) else expert.target_names()
    for name in names:
        delta = expert_delta(base, expert, name)
        if delta is not None:
            out[name] = delta
    return out


# ---------------------------------------------------------------------------------------------------------
# provenance


def write_provenance(expert_dir: str | os.PathLike, base_hash: str, **extra: Any) -> Path:
    """Record, beside an expert this project trained, the content hash of the base it was trained from."""
    if not str(base_hash).startswith("sha256:"):
        raise ValueError(f"base_hash must be a content hash 'sha256:...', got {base_hash!r}")
    path = Path(expert_dir) / PROVENANCE_FILE
    path.write_text(json.dumps({"base_hash": base_hash, **extra}, indent=2, sort_keys=True, default=str) + "\n")
    return path


def read_provenance(expert_dir: str | os.PathLike) -> dict[str, Any] | None:
    """The provenance record beside an expert, or ``None`` when it has none (a foreign expert)."""
    if is_builtin(expert_dir):
        return None
    path = Path(expert_dir) / PROVENANCE_FILE
    if not path.is_file():
        return None
    data = _load_json(path)
    if not isinstance(data, dict) or "base_hash" not in data:
        raise CheckpointError(f"{path} has no 'base_hash'; delete it or rewrite it with write_provenance")
    return data


def config_hash(config: dict[str, Any]) -> str:
    """Hash of a config dict (for provenance of non-weight inputs)."""
    return hash_json(config)
