"""mixmerge.training: SFT and DPO fine-tuning of experts and data mixtures under one recipe and exact token budgets.

Modules, in the order a run uses them:

* ``recipe``: ``TrainRecipe`` (the one recipe for experts and mixtures) and ``Mixture`` (ratios on the simplex);
* ``examples`` / ``sources``: chat examples, user JSONL formats, the named sets (H3, shared public data);
* ``encode``: chat-template tokenisation with assistant-only loss masks;
* ``sampler``: the token-exact mixture stream; ``packing``: batches of packed rows;
* ``losses``: forward on trained positions, SFT and DPO losses; ``cost``: FLOPs, seconds, peak memory;
* ``scoring``: the ``scored`` strategy's example scores and selection;
* ``trainer``: the loop, ``train()`` and ``train_experts()``, output and provenance.
"""
