#!/usr/bin/python3
"""PyTorch half of the model-level equivalence check (bench/equivalence.sh).

Trains BraggNN (train_torch.py's braggnn(), the NAC paper's baseline) exactly as `nac train` does
with bench/equivalence.yaml: the same HDF5 file (from `nac data bragg`), the same 80/10/10 split by
index, no normalisation or augmentation, the same initial weights (nac's --save-init model file,
converted from channels-last), the same batches in the same order (nac's xoshiro256** shuffle
re-implemented below), RMSprop lr 0.0015 weight decay 2.2e-9, nac's cosine schedule per epoch,
batch 256, MSE; validation mean pixel error after every epoch, best epoch's weights for the test
error. Prints one JSON object. Run with Debian's python3 (python3-torch, python3-h5py).
"""
import argparse
import json
import math
import os
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_torch import ConvAttn, braggnn  # noqa: E402  (also sets one thread)

MASK = (1 << 64) - 1


class NacRng:
    """nac::Rng (src/nac/core/rng.cpp): SplitMix64 seeding xoshiro256**, below(), split(),
    permutation(), so that this script shuffles the training set exactly as nac's trainer."""

    @staticmethod
    def _splitmix(x):
        x = (x + 0x9E3779B97F4A7C15) & MASK
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return x, z ^ (z >> 31)

    def __init__(self, seed):
        self.s = []
        x = seed & MASK
        for _ in range(4):
            x, z = self._splitmix(x)
            self.s.append(z)

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def next_u64(self):
        s = self.s
        result = (self._rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 45)
        return result

    def below(self, n):
        limit = MASK - (MASK % n)
        x = self.next_u64()
        while x >= limit:
            x = self.next_u64()
        return x % n

    def split(self, label):
        mix = self.next_u64() ^ ((label * 0xD1B54A32D192ED03) & MASK)
        _, z = self._splitmix(mix)
        return NacRng(z)

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.below(i + 1)
            p[i], p[j] = p[j], p[i]
        return p


def lround(v):
    return int(math.floor(v + 0.5))  # std::lround for the non-negative sizes here


def load_split(path, val_fraction=0.1, test_fraction=0.1):
    with h5py.File(path, "r") as f:
        x = np.asarray(f["x"], dtype=np.float32)
        y = np.asarray(f["y"], dtype=np.float32)
    n = x.shape[0]
    n_val, n_test = lround(n * val_fraction), lround(n * test_fraction)
    n_train = n - n_val - n_test
    x = torch.from_numpy(x).unsqueeze(1)  # [N, 1, H, W]
    y = torch.from_numpy(y)
    parts = [(0, n_train), (n_train, n_train + n_val), (n_train + n_val, n)]
    return [(x[a:b], y[a:b]) for a, b in parts]


def load_nac_weights(model, model_file, image_shape):
    """Copies the weights of a nac model file into train_torch's BraggNN, converting layouts:
    conv [k, k, Cin, Cout] -> [Cout, Cin, k, k]; dense [in, out] -> [out, in], and the dense
    after a flatten from nac's (H, W, C) order to torch's (C, H, W)."""
    with open(model_file) as f:
        nodes = [n for n in json.load(f)["nodes"] if n["params"]]

    def value(node, name):
        p = next(p for p in node["params"] if p["name"] == name)
        return torch.tensor(p["values"], dtype=torch.float32).reshape(p["shape"])

    # The torch layers that hold parameters, in order, and the map shape entering each Flatten.
    targets, shape_before_flatten, pending_flatten = [], None, None
    x = torch.zeros(1, *image_shape)
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Flatten):
                pending_flatten = tuple(x.shape[1:])
            elif isinstance(m, (nn.Conv2d, ConvAttn, nn.Linear)):
                targets.append((m, pending_flatten if isinstance(m, nn.Linear) else None))
                pending_flatten = None
            x = m(x)
    if len(targets) != len(nodes):
        sys.exit(f"{model_file}: {len(nodes)} layers with weights, the torch model has "
                 f"{len(targets)}")

    def put(param, t, what):
        if tuple(param.shape) != tuple(t.shape):
            sys.exit(f"{model_file}: {what}: shape {tuple(t.shape)} after conversion, torch "
                     f"expects {tuple(param.shape)}")
        param.copy_(t)

    with torch.no_grad():
        for (m, flat_chw), node in zip(targets, nodes):
            op, name = node["op"], node["name"]
            if op == "conv2d" and isinstance(m, nn.Conv2d):
                put(m.weight, value(node, "weight").permute(3, 2, 0, 1), name + ".weight")
                put(m.bias, value(node, "bias"), name + ".bias")
            elif op == "conv_attn" and isinstance(m, ConvAttn):
                for part in ("q", "k", "v", "proj"):
                    conv = getattr(m, part)
                    w = value(node, part + "_weight").t()[:, :, None, None]  # 1x1 conv
                    put(conv.weight, w, f"{name}.{part}_weight")
                    put(conv.bias, value(node, part + "_bias"), f"{name}.{part}_bias")
            elif op == "dense" and isinstance(m, nn.Linear):
                w = value(node, "weight")  # [in, out]
                if flat_chw is not None:  # rows in (H, W, C) order -> columns in (C, H, W)
                    c, h, wd = flat_chw
                    w = w.reshape(h, wd, c, -1).permute(2, 0, 1, 3).reshape(c * h * wd, -1)
                put(m.weight, w.t(), name + ".weight")
                put(m.bias, value(node, "bias"), name + ".bias")
            else:
                sys.exit(f"{model_file}: node '{name}' ({op}) does not match torch's {m}")


def mean_px(model, x, y, patch, batch=1024):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for b in range(0, x.shape[0], batch):
            d = model(x[b:b + batch]).double() - y[b:b + batch].double()
            total += torch.sqrt((d * d).sum(dim=1)).sum().item()
    model.train()
    return total / x.shape[0] * patch


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="HDF5 file from `nac data bragg`")
    ap.add_argument("--init", required=True, help="nac's initial model file (--save-init)")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--train-samples", type=int, default=0, help="cap, as nac's option")
    ap.add_argument("--seed", type=int, default=0, help="nac's train.seed (the shuffle stream)")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=0.0015)
    ap.add_argument("--weight-decay", type=float, default=2.2e-9)
    ap.add_argument("--patch", type=float, default=11.0)
    args = ap.parse_args()

    (xt, yt), (xv, yv), (xs, ys) = load_split(args.data)
    if args.train_samples > 0:
        xt, yt = xt[:args.train_samples], yt[:args.train_samples]
    model = braggnn()
    load_nac_weights(model, args.init, tuple(xt.shape[1:]))
    opt = torch.optim.RMSprop(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    loss_fn = nn.MSELoss()
    shuffle = NacRng(args.seed).split(1)  # the trainer's shuffle stream
    n = xt.shape[0]

    best, best_epoch, best_state, history, train_s = math.inf, 0, None, [], 0.0
    for epoch in range(args.epochs):
        lr = args.lr * (1.0 + math.cos(math.pi * epoch / args.epochs)) / 2.0  # nac's cosine
        for g in opt.param_groups:
            g["lr"] = lr
        perm = torch.tensor(shuffle.permutation(n))
        t0, loss_sum = time.perf_counter(), 0.0
        for b in range(0, n, args.batch):
            idx = perm[b:b + args.batch]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.item() * idx.shape[0]
        train_s += time.perf_counter() - t0
        val = mean_px(model, xv, yv, args.patch)
        history.append({"epoch": epoch + 1, "lr": lr, "train_loss": loss_sum / n,
                        "val_mean_px": val})
        print(f"torch epoch {epoch + 1}/{args.epochs}  train_loss {loss_sum / n:.4g}  "
              f"val mean_px {val:.4g}", file=sys.stderr, flush=True)
        if val < best:
            best, best_epoch = val, epoch + 1
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    print(json.dumps({"framework": "torch " + torch.__version__, "best_epoch": best_epoch,
                      "val_mean_px": mean_px(model, xv, yv, args.patch),
                      "test_mean_px": mean_px(model, xs, ys, args.patch),
                      "train_samples": n, "samples_per_second": n * args.epochs / train_s,
                      "history": history}))


if __name__ == "__main__":
    main()
