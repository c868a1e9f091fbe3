#!/usr/bin/python3
"""Training throughput of the four reference models in PyTorch, single thread, batch 256.

The same models as bench/train_throughput.cpp: jet MLP 16-64-32-32-5, BraggNN (NAC paper version),
OpenHLS, DeepSets. Prints one JSON line per model: {"model", "samples_per_s", "params"} and a
header line naming the BLAS library the process loaded. Run with Debian's python3 (python3-torch).
"""
import json
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


class ConvAttn(nn.Module):
    """BraggNN's non-local block: softmax(Q K^T) V without 1/sqrt(h), 1x1 projection, residual."""

    def __init__(self, c, h, act):
        super().__init__()
        self.q = nn.Conv2d(c, h, 1)
        self.k = nn.Conv2d(c, h, 1)
        self.v = nn.Conv2d(c, h, 1)
        self.proj = nn.Conv2d(h, c, 1)
        self.act = act

    def forward(self, x):
        n, c, hh, ww = x.shape
        q = self.q(x).flatten(2).transpose(1, 2)  # N, P, h
        k = self.k(x).flatten(2)  # N, h, P
        v = self.v(x).flatten(2).transpose(1, 2)  # N, P, h
        a = torch.softmax(torch.bmm(q, k), dim=-1)
        o = torch.bmm(a, v).transpose(1, 2).reshape(n, -1, hh, ww)
        return self.act(x + self.proj(o))


def braggnn():
    lr = lambda: nn.LeakyReLU(0.01)
    return nn.Sequential(
        nn.Conv2d(1, 64, 3), ConvAttn(64, 32, lr()),
        nn.Conv2d(64, 32, 3), lr(), nn.Conv2d(32, 8, 3), lr(), nn.Flatten(),
        nn.Linear(200, 64), lr(), nn.Linear(64, 32), lr(), nn.Linear(32, 16), lr(), nn.Linear(16, 2))


def openhls():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3), ConvAttn(16, 8, nn.ReLU()),
        nn.Conv2d(16, 8, 3), nn.ReLU(), nn.Conv2d(8, 2, 3), nn.ReLU(), nn.Flatten(),
        nn.Linear(50, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(),
        nn.Linear(4, 2))


def jet_mlp():
    return nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 5))


class DeepSets(nn.Module):
    def __init__(self):
        super().__init__()
        self.phi = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                 nn.Linear(32, 32), nn.ReLU())
        self.rho = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 5))

    def forward(self, x):
        return self.rho(self.phi(x).mean(dim=1))


MODELS = {
    "jet_mlp": (jet_mlp, (16,), "ce"),
    "deepsets": (DeepSets, (16, 3), "ce"),
    "openhls": (openhls, (1, 11, 11), "mse"),
    "braggnn": (braggnn, (1, 11, 11), "mse"),
}


def loaded_blas():
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line or "mkl" in line}
    return sorted(l for l in libs if l.startswith("/"))


def measure(name, seconds, batch=256):
    ctor, shape, loss_kind = MODELS[name]
    torch.manual_seed(0)
    model = ctor()
    opt = torch.optim.RMSprop(model.parameters(), lr=1.5e-3, weight_decay=2.2e-9)
    x = torch.randn(batch, *shape)
    if loss_kind == "ce":
        y = torch.randint(0, 5, (batch,))
        loss_fn = nn.CrossEntropyLoss()
    else:
        y = torch.rand(batch, 2)
        loss_fn = nn.MSELoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(5):
        step()
    rates = []
    for _ in range(5):  # median of 5 timed windows
        steps, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds / 5:
            step()
            steps += 1
        rates.append(steps * batch / (time.perf_counter() - t0))
    rates.sort()
    params = sum(p.numel() for p in model.parameters())
    return {"model": name, "samples_per_s": rates[2], "params": params}


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    names = sys.argv[2:] or list(MODELS)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "blas": loaded_blas()}))
    for name in names:
        print(json.dumps(measure(name, seconds)), flush=True)


if __name__ == "__main__":
    main()
