#!/usr/bin/python3
"""The same global search as `nac search` (bench/search_bench.sh), with PyTorch and Optuna.

Optuna 3.1's NSGAIISampler (population 20) over the NAC paper's Bragg space (read from
examples/spaces/bragg.yaml, one categorical parameter per choice, named as nac's genotypes), BraggNN
and OpenHLS enqueued first; each trial builds the PyTorch model of its genotype with nac's rules
(valid convolutions, a kernel that would empty the map becomes 1x1, conv -> norm -> activation,
BraggNN's ConvAttn), trains it single-threaded with the paper's recipe (RMSprop lr 0.0015,
weight decay 2.2e-9, cosine over the epochs, MSE, batch 256, patience 5, best epoch kept) on the
same HDF5 data and split as nac (by index, 80/10/10), and returns (validation mean distance in
pixels, BOPs by nac's standard formula at 32 bits). W worker processes share one Optuna journal
file; the study stops after N trials (MaxTrialsCallback).

Usage: search_optuna.py DATA.h5 --trials N --workers W --epochs E --out trials.csv
"""
import argparse
import csv
import math
import multiprocessing as mp
import os
import time

import h5py
import numpy as np
import optuna
import torch
import torch.nn as nn
import yaml

SPACE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "spaces",
                     "bragg.yaml")


def load_space():
    with open(SPACE) as f:
        return yaml.safe_load(f)


def suggest(trial, space):
    """A genotype (nac's choice names) drawn through Optuna's suggest API."""
    g = {}
    cat = trial.suggest_categorical
    g["stem.channels"] = cat("stem.channels", space["stem"]["channels"])
    b = space["blocks"]
    for i in range(1, b["slots"] + 1):
        t = cat(f"block{i}.type", b["type"])
        g[f"block{i}.type"] = t
        if t == "Conv":
            c = b["Conv"]
            for j in range(1, c["layers"] + 1):
                p = f"block{i}.conv{j}"
                g[p + ".channels"] = cat(p + ".channels", c["channels"])
                g[p + ".kernel"] = cat(p + ".kernel", c["kernel"])
                g[p + ".activation"] = cat(p + ".activation", c["activation"])
                g[p + ".norm"] = cat(p + ".norm", c["norm"])
        elif t == "ConvAttn":
            a = b["ConvAttn"]
            g[f"block{i}.attn.hidden"] = cat(f"block{i}.attn.hidden", a["hidden"])
            g[f"block{i}.attn.activation"] = cat(f"block{i}.attn.activation", a["activation"])
    h = space["head"]
    for k in range(1, h["depth"]):
        p = f"head.layer{k}"
        g[p + ".width"] = cat(p + ".width", h["width"])
        g[p + ".activation"] = cat(p + ".activation", h["activation"])
        g[p + ".norm"] = cat(p + ".norm", h["norm"])
    g["head.out.activation"] = cat("head.out.activation", h["activation"])
    g["head.out.norm"] = cat("head.out.norm", h["norm"])
    return g


def activation(name):
    return {"relu": nn.ReLU(), "gelu": nn.GELU(), "leaky_relu": nn.LeakyReLU(0.01),
            "identity": nn.Identity()}[name]


class ConvAttn(nn.Module):
    """BraggNN's non-local block: softmax(Q K^T) V without 1/sqrt(h), 1x1 projection, residual."""

    def __init__(self, c, h, act):
        super().__init__()
        self.q, self.k, self.v = nn.Conv2d(c, h, 1), nn.Conv2d(c, h, 1), nn.Conv2d(c, h, 1)
        self.proj = nn.Conv2d(h, c, 1)
        self.act = act

    def forward(self, x):
        n, _, hh, ww = x.shape
        q = self.q(x).flatten(2).transpose(1, 2)
        k = self.k(x).flatten(2)
        v = self.v(x).flatten(2).transpose(1, 2)
        a = torch.softmax(torch.bmm(q, k), dim=-1)
        return self.act(x + self.proj(torch.bmm(a, v).transpose(1, 2).reshape(n, -1, hh, ww)))


def effective_kernels(kernels, size):
    kernels = list(kernels)
    while size - sum(k - 1 for k in kernels) < 1 and any(k > 1 for k in kernels):
        kernels[next(i for i, k in enumerate(kernels) if k > 1)] = 1
    return kernels


def build(g, space):
    """The PyTorch model of genotype g and its BOPs (nac's formula, 32 bits, dense)."""
    bops = 0.0

    def group(m, n):
        return m * n * (32 * 32 + 64 + math.log2(n)) if m > 0 and n > 0 else 0.0

    layers = []
    side = space["input"][0]
    c = g["stem.channels"]
    k = effective_kernels([space["stem"]["kernel"]], side)[0]
    layers.append(nn.Conv2d(space["input"][2], c, k))
    side -= k - 1
    bops += group(side * side * c, k * k * space["input"][2])
    b = space["blocks"]
    for i in range(1, b["slots"] + 1):
        t = g[f"block{i}.type"]
        if t == "ConvAttn":
            h = g[f"block{i}.attn.hidden"]
            layers.append(ConvAttn(c, h, activation(g[f"block{i}.attn.activation"])))
            p = side * side
            bops += 3 * group(p * h, c) + group(p * p, h) + group(p * h, p) + group(p * c, h)
        elif t == "Conv":
            n = b["Conv"]["layers"]
            ks = effective_kernels([g[f"block{i}.conv{j}.kernel"] for j in range(1, n + 1)], side)
            for j in range(1, n + 1):
                p = f"block{i}.conv{j}"
                out, kk = g[p + ".channels"], ks[j - 1]
                layers.append(nn.Conv2d(c, out, kk))
                side -= kk - 1
                bops += group(side * side * out, kk * kk * c)
                c = out
                if g[p + ".norm"] == "batch":
                    layers.append(nn.BatchNorm2d(c))
                layers.append(activation(g[p + ".activation"]))
    layers.append(nn.Flatten())
    width = c * side * side
    depth = space["head"]["depth"]
    for k in range(1, depth + 1):
        p = "head.out" if k == depth else f"head.layer{k}"
        units = space["outputs"] if k == depth else g[p + ".width"]
        layers.append(nn.Linear(width, units))
        bops += group(units, width)
        width = units
        if g[p + ".norm"] == "batch":
            layers.append(nn.BatchNorm1d(width))
        layers.append(activation(g[p + ".activation"]))
    return nn.Sequential(*layers), bops


def load_data(path):
    with h5py.File(path, "r") as f:
        x = np.asarray(f["x"], dtype=np.float32)
        y = np.asarray(f["y"], dtype=np.float32)
    x = x.reshape(x.shape[0], 1, x.shape[1], x.shape[2])  # [N, 1, H, W]
    n = x.shape[0]
    n_val, n_test = round(n * 0.1), round(n * 0.1)
    n_train = n - n_val - n_test
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a))
    return (t(x[:n_train]), t(y[:n_train])), (t(x[n_train:n_train + n_val]),
                                              t(y[n_train:n_train + n_val]))


def mean_px(model, x, y, patch):
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(x[i:i + 1024]) for i in range(0, x.shape[0], 1024)])
    model.train()
    return float(torch.sqrt(((pred - y) ** 2).sum(dim=1)).mean() * patch)


def train(model, data, epochs, patch=11, batch=256, patience=5, seed=0):
    (xt, yt), (xv, yv) = data
    torch.manual_seed(seed)
    opt = torch.optim.RMSprop(model.parameters(), lr=0.0015, weight_decay=2.2e-9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    loss_fn = nn.MSELoss()
    best, best_state, bad = math.inf, None, 0
    for _ in range(epochs):
        perm = torch.randperm(xt.shape[0])
        for b in range(0, xt.shape[0], batch):
            idx = perm[b:b + batch]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            if not torch.isfinite(loss):
                return math.nan
            loss.backward()
            opt.step()
        sched.step()
        score = mean_px(model, xv, yv, patch)
        if not math.isfinite(score):
            return math.nan
        if score < best:
            best, bad = score, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
            if bad >= patience:
                break
    model.load_state_dict(best_state)
    return mean_px(model, xv, yv, patch)


def worker(args, storage_path, study_name):
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = load_space()
    data = load_data(args.data)
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(storage_path))
    study = optuna.load_study(study_name=study_name, storage=storage,
                              sampler=optuna.samplers.NSGAIISampler(
                                  population_size=args.population, seed=args.seed + os.getpid()))

    def objective(trial):
        g = suggest(trial, space)
        torch.manual_seed(0)
        model, bops = build(g, space)
        t0 = time.time()
        err = train(model, data, args.epochs)
        trial.set_user_attr("params", sum(p.numel() for p in model.parameters()))
        trial.set_user_attr("duration_s", time.time() - t0)
        trial.set_user_attr("genotype", g)
        return err, bops

    study.optimize(objective, n_trials=10 * args.trials,
                   callbacks=[optuna.study.MaxTrialsCallback(args.trials, states=None)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--population", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    t0 = time.time()
    journal = args.out + ".journal"
    if os.path.exists(journal):
        os.remove(journal)
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(journal))
    study = optuna.create_study(study_name="bragg", storage=storage,
                                directions=["minimize", "minimize"])
    space = load_space()
    for name in ("braggnn", "openhls"):
        study.enqueue_trial(space["seeds"][name])
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=worker, args=(args, journal, "bragg"))
             for _ in range(args.workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    wall = time.time() - t0
    trials = optuna.load_study(study_name="bragg", storage=storage).trials
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["number", "state", "val_mean_px", "bops", "params", "duration_s"])
        for t in trials:
            v = t.values or [None, None]
            w.writerow([t.number, t.state.name, v[0], v[1], t.user_attrs.get("params"),
                        t.user_attrs.get("duration_s")])
    print(f"optuna: {len(trials)} trials in {wall:.1f}s")
    with open(args.out + ".wall", "w") as f:
        f.write(f"{wall}\n")


if __name__ == "__main__":
    main()
