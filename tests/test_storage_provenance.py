"""Provenance: content hashes of files and directories, code and library versions."""

from __future__ import annotations

import hashlib

import pytest
from mixmerge.storage.provenance import code_version, collect, file_hash, library_versions, path_sha256


def test_file_hash_is_sha256_of_the_bytes(tmp_path):
    f = tmp_path / "data.jsonl"
    f.write_bytes(b'{"a": 1}\n')
    assert path_sha256(f) == (hashlib.sha256(b'{"a": 1}\n').hexdigest(), 9)
    assert file_hash(f) == "sha256:" + hashlib.sha256(b'{"a": 1}\n').hexdigest()


def test_directory_hash_depends_on_names_and_contents_not_creation_order(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for root, order in ((a, ("x", "sub/y")), (b, ("sub/y", "x"))):
        for name in order:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(name)
    assert path_sha256(a) == path_sha256(b)
    assert path_sha256(a)[1] == len("x") + len("sub/y")
    (b / "x").write_text("X")
    assert path_sha256(a)[0] != path_sha256(b)[0]
    (b / "x").write_text("x")
    (b / "sub" / "y").rename(b / "sub" / "z")
    assert path_sha256(a)[0] != path_sha256(b)[0]
    with pytest.raises(FileNotFoundError, match="cannot hash"):
        path_sha256(tmp_path / "missing")


def test_versions_name_the_code_and_the_libraries_that_shape_results():
    assert code_version().startswith("mixmerge ")
    libs = library_versions()
    assert libs["optuna"] == "5.0.0" and libs["optuna-integration"] == "5.0.0"
    assert {"torch", "transformers", "botorch", "sqlalchemy", "python", "platform"} <= set(libs)


def test_collect_flattens_to_store_keys(tmp_path):
    f = tmp_path / "honest.jsonl"
    f.write_text("{}\n")
    rec = collect(
        base_hash="sha256:b",
        expert_hashes={"helpful": "sha256:h"},
        data_paths={"honest": f},
        seeds={"search": 1},
        dtype="bfloat16",
    )
    items = rec.items()
    assert items["hash/base"] == "sha256:b"
    assert items["hash/expert/helpful"] == "sha256:h"
    assert items["hash/data/honest"] == file_hash(f)
    assert items["seeds"] == {"search": 1}
    assert items["extra/dtype"] == "bfloat16"
    assert items["libraries"]["optuna"] == "5.0.0"
