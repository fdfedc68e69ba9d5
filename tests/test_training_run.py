"""End-to-end fine-tuning runs on a tiny random base with SmolLM2's tokenizer: SFT, DPO, LoRA, scored
selection, provenance, determinism, and the CLI's bad-input handling."""

from __future__ import annotations

import json
import math

import pytest
import torch
from _training_fixtures import DATA, H3_FIXTURES, make_tiny_base, smollm2_tokenizer
from mixmerge.merge_core.checkpoint import (
    PROVENANCE_FILE,
    open_adapter,
    open_checkpoint,
    read_provenance,
)
from mixmerge.service.cli import main
from mixmerge.training.recipe import Mixture, TrainRecipe
from mixmerge.training.sources import DataSources
from mixmerge.training.trainer import Trainer, load_model, load_tokenizer, plan_run, train
from safetensors.torch import load_file

MIX = Mixture(ratios={"helpful": 0.5, "harmless": 0.3, "honest": 0.2})
SOURCES = DataSources(h3_dir=H3_FIXTURES)


def recipe(**kw) -> TrainRecipe:
    base = dict(tokens=3000, seq_len=128, batch_size=4, lr=2e-3, schedule="constant", warmup_fraction=0.0,
                min_response_tokens=4)
    return TrainRecipe(**{**base, **kw})


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    torch.set_num_threads(1)
    return make_tiny_base(tmp_path_factory.mktemp("tinybase"), smollm2_tokenizer())


def test_sft_run_spends_the_budget_and_writes_an_expert_merge_core_accepts(base, tmp_path):
    r = train(base, MIX, recipe(), tmp_path / "m", sources=SOURCES, progress=False)
    c = r.cost
    assert c.tokens == 3000 and sum(c.tokens_per_set.values()) == 3000
    for name, ratio in MIX.ratios.items():  # token shares within one example of the ratio
        assert abs(c.tokens_per_set[name] - ratio * 3000) <= 128 * 2
    assert c.flops == c.train_flops > 0 and c.reference_flops == 0
    assert c.nominal_flops == 6 * c.params * 3000
    assert c.device_seconds > c.train_seconds > 0 and c.peak_memory_bytes > 0
    assert r.losses[-1] < r.losses[0]

    prov = read_provenance(r.out)
    on_disk = json.loads((r.out / PROVENANCE_FILE).read_text())
    assert prov == on_disk
    assert prov["base_hash"] == open_checkpoint(base).content_hash()
    assert prov["data_hash"].startswith("sha256:") and prov["seed"] == 0
    assert prov["kind"] == "mixture" and prov["mixture"] == MIX.ratios and prov["paradigm"] == "sft"
    assert prov["recipe"]["tokens"] == 3000 and prov["cost"]["tokens"] == 3000
    expert = open_checkpoint(r.out)
    ref = open_checkpoint(base)
    assert expert.names() == ref.names()
    assert any(not torch.equal(expert.get(n), ref.get(n)) for n in ref.names())


def test_same_seed_same_weights_other_seed_other_weights(base, tmp_path):
    runs = [train(base, MIX, recipe(seed=s), tmp_path / f"s{i}", sources=SOURCES, progress=False)
            for i, s in enumerate((5, 5, 6))]
    w = [load_file(str(r.out / "model.safetensors")) for r in runs]
    assert all(torch.equal(w[0][k], w[1][k]) for k in w[0])
    assert runs[0].provenance["data_hash"] == runs[1].provenance["data_hash"]
    assert runs[0].provenance["data_hash"] != runs[2].provenance["data_hash"]  # another seed, another stream
    assert any(not torch.equal(w[0][k], w[2][k]) for k in w[0])


def test_lora_writes_an_adapter_and_counts_its_flops(base, tmp_path):
    full = train(base, Mixture.one_hot("helpful"), recipe(), tmp_path / "full", sources=SOURCES, progress=False)
    r = train(base, Mixture.one_hot("helpful"), recipe(lora_rank=4, lr=1e-2), tmp_path / "lora", sources=SOURCES,
              progress=False)
    assert (r.out / "adapter_config.json").is_file() and r.adapter
    adapter = open_adapter(r.out, tied=True)
    assert adapter.low_rank and all(d.A.shape[0] == 4 for d in adapter.low_rank.values())
    assert any(torch.any(d.B != 0) for d in adapter.low_rank.values())  # the adapter trained
    assert r.cost.lora_params > 0 and r.cost.flops < full.cost.flops
    assert r.provenance["expert_of"] == "helpful" and r.provenance["adapter"] is True
    assert r.losses[-1] < r.losses[0]


def test_dpo_loss_decreases_and_chosen_beats_rejected(base):
    rec = recipe(paradigm="dpo", tokens=2048, lr=5e-3, dpo_beta=0.5, dpo_sft_weight=0.0)  # plain DPO
    tok = load_tokenizer(base)
    plan = plan_run(tok, SOURCES.load_for(["helpful", "harmless"], "dpo"), Mixture.uniform(["helpful", "harmless"]),
                    rec)
    torch.manual_seed(0)
    model = load_model(base, rec, torch.device("cpu"))
    trainer = Trainer(model, rec, torch.device("cpu"), total_steps=8 * len(plan.batches))
    ref = trainer.reference(plan.batches)
    history = [[trainer.step(b, r) for b, r in zip(plan.batches, ref, strict=True)] for _ in range(8)]
    first, last = history[0][0], history[-1]
    assert first["loss"] == pytest.approx(math.log(2), abs=1e-4)  # policy == reference at step 0
    mean = lambda epoch, key: sum(s[key] for s in epoch if s.get("pairs")) / sum(1 for s in epoch if s.get("pairs"))  # noqa: E731
    assert mean(last, "loss") < 0.5 * mean(history[0], "loss")
    assert mean(last, "chosen_logratio") > mean(last, "rejected_logratio")
    assert mean(last, "chosen_logratio") > mean(history[0], "chosen_logratio")
    assert mean(last, "accuracy") == 1.0


def test_dpo_sft_weight_adds_the_chosen_replies_nll(base):
    """RPO: at step 0 the loss is log 2 plus the weight times the mean NLL of exactly the chosen replies' tokens."""
    from mixmerge.training.losses import chosen_nll, token_logps

    rec = recipe(paradigm="dpo", tokens=1024, dpo_sft_weight=2.0)
    tok = load_tokenizer(base)
    plan = plan_run(tok, SOURCES.load_for(["helpful"], "dpo"), Mixture.one_hot("helpful"), rec)
    batch = next(b for b in plan.batches if b.pairs.shape[0])
    model = load_model(base, rec, torch.device("cpu"))
    with torch.no_grad():
        logps = token_logps(model, batch)
    chosen = set(batch.pairs[:, 0].tolist())
    by_hand = [-float(lp) for lp, s in zip(logps, batch.pred_seq.tolist(), strict=True) if s in chosen]
    nll = float(chosen_nll(logps, batch))
    assert nll == pytest.approx(sum(by_hand) / len(by_hand), rel=1e-5)
    assert len(by_hand) < logps.numel()  # the rejected replies' tokens are left out
    trainer = Trainer(model, rec, torch.device("cpu"), total_steps=4)
    ref = trainer.reference([batch])[0]
    stats = trainer.step(batch, ref)
    assert stats["chosen_nll"] == pytest.approx(nll, rel=2e-2)  # bf16 autocast in the step
    assert stats["loss"] == pytest.approx(math.log(2) + 2.0 * stats["chosen_nll"], rel=1e-4)


def test_dpo_run_counts_reference_passes(base, tmp_path):
    r = train(base, MIX, recipe(paradigm="dpo", dpo_sft_weight=0.0), tmp_path / "d", sources=SOURCES, progress=False)
    c = r.cost
    assert c.tokens == 3000 and c.reference_flops > 0 and c.flops == c.train_flops + c.reference_flops
    assert c.reference_flops * 3 == c.train_flops  # one forward over the same tokens and head positions
    assert c.nominal_flops == 8 * c.params * 3000
    assert r.losses[0] == pytest.approx(math.log(2), abs=1e-4)


def test_scored_strategy_keeps_the_best_scored_share(base, tmp_path):
    from mixmerge.training.scoring import builtin_scores

    r = train(base, MIX, recipe(), tmp_path / "sc", sources=SOURCES, strategy="scored", keep_fraction=0.5,
              progress=False)
    sel = r.provenance["selection"]
    assert sel["scorer"] == "builtin:base-preference"
    assert sel["kept"] == {"helpful": 4, "harmless": 3, "honest": 4} and sel["candidates"]["helpful"] == 8
    assert r.cost.scoring_flops > 0 and r.cost.flops == r.cost.train_flops + r.cost.scoring_flops

    tok, model = load_tokenizer(base), load_model(base, recipe(), torch.device("cpu"))
    helpful = SOURCES.load("helpful")
    scores, _ = builtin_scores(helpful, tok, model, recipe(), torch.device("cpu"))
    best = {helpful[i].id for i in sorted(range(8), key=lambda i: -scores[i])[:4]}
    trained = {d[1] for d in _stream_ids(r)} & {e.id for e in helpful}
    assert trained == best


def _stream_ids(result):
    # the trained stream is recorded only as a hash; recompute it from the same inputs to compare
    from mixmerge.training.scoring import select_best

    rec = TrainRecipe(**result.provenance["recipe"])
    tok, model = load_tokenizer(result.provenance["base_path"]), load_model(result.provenance["base_path"], rec, "cpu")
    kept, _, _ = select_best(SOURCES.load_for(list(MIX.ratios), "sft"), tok, model, rec, torch.device("cpu"), 0.5)
    plan = plan_run(tok, kept, MIX, rec)
    return [(d.set, plan.encoded[d.set][d.index].example.id) for d in plan.draws]


def test_reward_model_scorer(base, tmp_path):
    from _tiny import tiny_config
    from mixmerge.training.scoring import reward_scores, select_best
    from transformers import LlamaForSequenceClassification

    torch.manual_seed(1)
    rm = LlamaForSequenceClassification(tiny_config(vocab_size=49152, num_labels=1, pad_token_id=2,
                                                    max_position_embeddings=512))
    rm.save_pretrained(tmp_path / "rm")
    load_tokenizer(base).save_pretrained(tmp_path / "rm")
    exs = {"helpful": SOURCES.load("helpful")}
    scores, flops, rm_hash = reward_scores(exs["helpful"], tmp_path / "rm", recipe(), torch.device("cpu"))
    assert flops > 0 and rm_hash.startswith("sha256:") and len(set(scores)) == len(scores)
    kept, record, _ = select_best(exs, None, None, recipe(), torch.device("cpu"), 0.25, tmp_path / "rm")
    top = sorted(range(8), key=lambda i: -scores[i])[:2]
    assert [e.id for e in kept["helpful"]] == [exs["helpful"][i].id for i in sorted(top)]
    assert record["reward_model_hash"] == rm_hash


# ---------------------------------------------------------------------------------------------------------
# the CLI


def _cli(base, out, *extra):
    return main(["train", "--base", str(base), "--h3-dir", str(H3_FIXTURES), "--seq-len", "128", "--batch-size", "4",
                 "--out", str(out), "--quiet", *extra])


@pytest.mark.parametrize("args, message", [
    (["--mix", "helpful=0.7,harmless=-0.2,honest=0.5", "--tokens", "3000"], ">= 0"),
    (["--mix", "helpful=0.5,harmless=0.3", "--tokens", "3000"], "sum to"),
    (["--mix", "helpful=0.5,nosuchset=0.5", "--tokens", "3000"], "unknown training set 'nosuchset'"),
    (["--mix", "helpful=1", "--tokens", "511"], "below one batch"),
    (["--mix", "mine=1", "--tokens", "3000", "--data", f"mine={DATA / 'no_assistant.jsonl'}"], "no assistant turns"),
    (["--mix", "mine=1", "--tokens", "3000", "--paradigm", "dpo", "--data", f"mine={DATA / 'chat_messages.jsonl'}"],
     "no preference pairs"),
    (["--mix", "helpful=1", "--tokens", "3000", "--data", "helpful=x.jsonl"], "already taken"),
])
def test_bad_input_exits_2_and_writes_nothing(base, tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert _cli(base, out, *args) == 2
    err = capsys.readouterr().err
    assert message in err and "error" in err
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == []


def test_non_empty_output_needs_overwrite(base, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert _cli(base, out, "--mix", "helpful=1", "--tokens", "2048") == 2
    assert "--overwrite" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert _cli(base, out, "--mix", "helpful=1", "--tokens", "2048", "--overwrite") == 0
    assert (out / PROVENANCE_FILE).is_file() and not (out / "keep.txt").exists()


def test_cli_train_and_experts(base, tmp_path, capsys):
    assert _cli(base, tmp_path / "mix", "--mix", "uniform", "--paradigm", "dpo", "--tokens", "2048",
                "--seed", "3") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["tokens"] == 2048 and summary["mixture"] == pytest.approx({"helpful": 1 / 3, "harmless": 1 / 3,
                                                                              "honest": 1 / 3})
    assert main(["experts", "--base", str(base), "--h3-dir", str(H3_FIXTURES), "--seq-len", "128", "--batch-size",
                 "4", "--tokens", "1024", "--lora-rank", "2", "--out", str(tmp_path / "experts"), "--quiet"]) == 0
    for name in ("helpful", "harmless", "honest"):
        prov = read_provenance(tmp_path / "experts" / name)
        assert prov["expert_of"] == name and prov["cost"]["tokens"] == 1024 and prov["adapter"]
        assert prov["base_hash"] == open_checkpoint(base).content_hash()
