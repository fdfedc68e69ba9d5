"""Training data: JSONL formats, named sets, derived honest pairs, and assistant-only loss masks."""

from __future__ import annotations

import json

import numpy as np
import pytest
from _training_fixtures import DATA, H3_FIXTURES, smollm2_tokenizer
from mixmerge.training.encode import encode_examples
from mixmerge.training.examples import DataError, check_usable, load_jsonl, make_example
from mixmerge.training.sources import (
    FABRICATION_FRAMES,
    DataSources,
    default_shared_dir,
    honest_rejected,
    parse_hh_dialogue,
)


@pytest.fixture(scope="module")
def tok():
    return smollm2_tokenizer()


def test_user_jsonl_formats():
    exs = load_jsonl(DATA / "chat_messages.jsonl", "mine")
    assert len(exs) == 3
    assert exs[0].messages[0] == ("system", "You are terse.")
    assert [r for r, _ in exs[0].messages] == ["system", "user", "assistant", "user", "assistant"]
    assert exs[2].messages == (("user", "Say yes."), ("assistant", "Yes, certainly, I am saying yes."))
    assert not any(e.is_pair for e in exs)
    pairs = load_jsonl(DATA / "pairs.jsonl", "p")
    assert all(e.is_pair for e in pairs)
    assert pairs[1].messages[0] == ("user", "Count to three.")


def test_file_without_assistant_turns_is_refused():
    with pytest.raises(DataError, match="no assistant turns"):
        load_jsonl(DATA / "no_assistant.jsonl", "x")


def test_bad_lines_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"prompt": "a", "response": "b"}\n{not json\n')
    with pytest.raises(DataError, match=r"bad.jsonl:2"):
        load_jsonl(bad, "bad")
    bad.write_text('{"messages": [{"role": "wizard", "content": "x"}]}\n')
    with pytest.raises(DataError, match="role"):
        load_jsonl(bad, "bad")


def test_dpo_needs_pairs_and_hh_harmless_is_not_sft():
    sft_only = load_jsonl(DATA / "chat_messages.jsonl", "mine")
    with pytest.raises(DataError, match="no preference pairs"):
        check_usable(sft_only, "mine", "dpo")
    hh = [make_example("1", "hh-harmless", "q", "a", "b", sft_ok=False)]
    with pytest.raises(DataError, match="--paradigm dpo"):
        check_usable(hh, "hh-harmless", "sft")
    assert check_usable(hh, "hh-harmless", "dpo") == hh


def test_h3_sets_from_fixtures():
    src = DataSources(h3_dir=H3_FIXTURES)
    helpful, harmless, honest = (src.load(n) for n in ("helpful", "harmless", "honest"))
    assert helpful[0].messages[-1][1].startswith("Place the egg") and helpful[0].rejected == "Eggs are food."
    assert harmless[0].messages[-1][1].startswith("I can't help") and harmless[0].rejected.startswith("Sure")
    assert all(e.is_pair for e in honest)
    with pytest.raises(DataError, match="unknown training set 'nope'"):
        src.load_for(["helpful", "nope"], "sft")


def test_honest_rejected_is_deterministic_and_wrong():
    rows = [json.loads(line) for line in (H3_FIXTURES / "honest" / "train.jsonl").read_text().splitlines()]
    rej = honest_rejected(rows)
    assert rej == honest_rejected(list(reversed(rows)))  # order-independent
    by_id = {r["id"]: r for r in rows}
    for rid, text in rej.items():
        r = by_id[rid]
        if r["kind"] == "misconception_mc":
            assert text in [c for c, lab in zip(r["choices"], r["labels"], strict=True) if not lab]
        elif r["kind"] == "answerable":
            others = {o["reference"] for o in rows if o["kind"] == "answerable" and o["id"] != rid}
            assert text in others and text != r["reference"]
        else:  # a confident fabricated answer instead of abstaining / correcting the premise
            assert any(text.startswith(f.split("{claim}")[0]) for f in FABRICATION_FRAMES)
    assert set(rej) == set(by_id)


def test_hh_dialogue_parsing():
    turns = parse_hh_dialogue("\n\nHuman: hi there\n\nAssistant: hello\n\nHuman: bye\n\nAssistant: ok bye")
    assert turns == [("user", "hi there"), ("assistant", "hello"), ("user", "bye"), ("assistant", "ok bye")]


@pytest.mark.skipif(not (default_shared_dir() / "hh-rlhf").is_dir(), reason="shared data not present")
def test_shared_sets_load():
    src = DataSources()
    hh = src.load("hh-harmless")
    assert len(hh) > 2000 and all(e.is_pair and not e.sft_ok for e in hh)
    assert len(src.load("self-instruct")) == 175
    sa = src.load("selfaware")
    assert all(e.is_pair for e in sa) and any("I don't know" in e.messages[-1][1] for e in sa)


def _masked_text(tok, seq) -> str:
    return tok.decode(seq.ids[seq.mask])


def test_sft_mask_covers_assistant_turns_only(tok):
    exs = load_jsonl(DATA / "chat_messages.jsonl", "mine")
    enc = encode_examples(tok, exs, "sft", 256)
    multi = enc[0].seqs[0]
    expected = "Hello. What do you need?<|im_end|>\nBlue, a calm and common favourite.<|im_end|>\n"
    assert _masked_text(tok, multi) == expected
    # the unmasked part is exactly the rest of the rendered conversation
    full = tok.apply_chat_template(exs[0].chat(), tokenize=False)
    assert tok.decode(multi.ids) == full
    assert "You are terse" in tok.decode(multi.ids[~multi.mask])
    assert "Blue" not in tok.decode(multi.ids[~multi.mask])


def test_dpo_mask_is_last_turn_only(tok):
    exs = load_jsonl(DATA / "chat_messages.jsonl", "mine")
    pair = make_example("p", "x", exs[0].chat()[:-1], "Blue.", rejected="Red, obviously red.")
    enc = encode_examples(tok, [pair], "dpo", 256, min_response_tokens=1)[0]
    chosen, rejected = enc.seqs
    assert _masked_text(tok, chosen) == "Blue.<|im_end|>\n"
    assert _masked_text(tok, rejected) == "Red, obviously red.<|im_end|>\n"
    assert np.array_equal(chosen.ids[~chosen.mask], rejected.ids[~rejected.mask])  # same prompt
    assert enc.tokens == len(chosen) + len(rejected)


def test_truncation_keeps_prompt_and_skips_hopeless_examples(tok):
    long = make_example("l", "x", "short question", "word " * 300)
    hopeless = make_example("h", "x", "word " * 300, "short answer")
    enc = encode_examples(tok, [long, hopeless], "sft", 64, min_response_tokens=8)
    assert [e.example.id for e in enc] == ["l"]
    assert len(enc[0].seqs[0]) == 64 and enc[0].seqs[0].mask.sum() >= 8
    with pytest.raises(DataError, match="raise --seq-len"):
        encode_examples(tok, [hopeless], "sft", 64)
