"""Train the workbook's character-level GPT (grader/lm.py) on tiny Shakespeare, deterministically on CPU.

    .venv/bin/python tools/train_char_lm.py            # train, write data/models/char_gpt.{pt,json}
    .venv/bin/python tools/train_char_lm.py --check    # retrain in memory, compare with the committed record

One thread, `torch.manual_seed`, `torch.use_deterministic_algorithms(True)` and batches drawn from a
seeded `torch.Generator`: the same machine reproduces the same weights bit for bit; another CPU/BLAS may
differ in the last bits, which `--check` allows for with `TOLERANCE` on the validation loss.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from grader import lm  # noqa: E402

SEED = 1337
STEPS = 2000
BATCH = 32
LR = 3e-3
MIN_LR = 3e-4
WARMUP = 100
WEIGHT_DECAY = 0.01
TOLERANCE = 0.02   # |reproduced - recorded| validation loss allowed by --check (nats/char)


def lr_at(step: int, steps: int) -> float:
    """Linear warm-up for WARMUP steps, then cosine decay from LR to MIN_LR."""
    if step < WARMUP:
        return LR * (step + 1) / WARMUP
    t = (step - WARMUP) / max(1, steps - WARMUP)
    return MIN_LR + 0.5 * (LR - MIN_LR) * (1 + math.cos(math.pi * t))


def setup() -> None:
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def train(steps: int = STEPS, seed: int = SEED, cfg: lm.LMConfig | None = None,
          log_every: int = 0) -> lm.CharGPT:
    """The model after `steps` AdamW steps on random (BATCH, context) windows of the training split."""
    setup()
    cfg = cfg or lm.LMConfig(vocab_size=len(lm.vocab()))
    torch.manual_seed(seed)
    model = lm.CharGPT(cfg)
    train_ids, _ = lm.corpus_splits()
    gen = torch.Generator().manual_seed(seed)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY},
                             {"params": no_decay, "weight_decay": 0.0}], lr=LR, betas=(0.9, 0.99))
    model.train()
    offsets = torch.arange(cfg.context + 1)
    for step in range(steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step, steps)
        starts = torch.randint(0, len(train_ids) - cfg.context - 1, (BATCH,), generator=gen)
        chunk = train_ids[starts[:, None] + offsets]
        x, y = chunk[:, :-1], chunk[:, 1:]
        loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if log_every and (step % log_every == 0 or step == steps - 1):
            print(f"step {step:5d}  lr {lr_at(step, steps):.2e}  train loss {loss.item():.4f}", flush=True)
    model.eval()
    return model


def validation_loss(model: lm.CharGPT) -> float:
    _, val_ids = lm.corpus_splits()
    return lm.evaluate_loss(model, val_ids, context=model.cfg.context)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="retrain and compare the validation loss with the committed record; write nothing")
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--out", type=Path, default=lm.data_dir() / "models")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    model = train(args.steps, SEED, log_every=100)
    seconds = time.perf_counter() - t0
    val = validation_loss(model)
    print(f"trained {args.steps} steps in {seconds:.1f} s; validation loss {val:.6f} nats/char "
          f"(perplexity {math.exp(val):.3f}); {lm.n_params(model)} parameters")
    if args.check:
        recorded = lm.metadata()
        same_schedule = recorded["steps"] == args.steps and recorded["seed"] == SEED
        diff = abs(val - recorded["val_loss"])
        ok = same_schedule and diff <= TOLERANCE
        print(f"recorded validation loss {recorded['val_loss']:.6f}; |difference| {diff:.2e} "
              f"(tolerance {TOLERANCE}) -> {'OK' if ok else 'MISMATCH'}")
        return 0 if ok else 1
    args.out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), args.out / lm.WEIGHTS_FILE)
    meta = {
        "model": "CharGPT (grader/lm.py)", "corpus": lm.CORPUS_FILE, "val_fraction": lm.VAL_FRACTION,
        "seed": SEED, "steps": args.steps, "batch": BATCH, "lr": LR, "min_lr": MIN_LR, "warmup": WARMUP,
        "weight_decay": WEIGHT_DECAY, "config": lm.config_dict(model.cfg), "n_params": lm.n_params(model),
        "val_loss": val, "val_eval": f"non-overlapping {model.cfg.context}-char windows of the whole validation split",
        "tolerance": TOLERANCE, "train_seconds": round(seconds, 1), "torch": torch.__version__,
    }
    (args.out / lm.META_FILE).write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {args.out / lm.WEIGHTS_FILE} ({(args.out / lm.WEIGHTS_FILE).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
