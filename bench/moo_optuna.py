#!/usr/bin/python3
"""Optuna's NSGAIISampler on the problems of moo_bench.cpp (ZDT1-3 with 30 variables, DTLZ2 with
3 objectives and 12 variables), same budget, population and number of seeds; hypervolume of all
evaluated points with the same reference points (1.1 per objective, and 11 per objective, which
every point dominates), computed exactly here. Optuna runs with its in-memory storage (its
fastest); --sqlite-trials times a short ZDT1 run through its SQLite (RDB) storage.
Run with Debian's interpreter: /usr/bin/python3 bench/moo_optuna.py [--json out.json]."""
import argparse
import json
import math
import statistics
import sys
import time

import optuna


def zdt_g(x):
    return 1 + 9 * sum(x[1:]) / (len(x) - 1)


def zdt1(x):
    g = zdt_g(x)
    return [x[0], g * (1 - math.sqrt(x[0] / g))]


def zdt2(x):
    g = zdt_g(x)
    return [x[0], g * (1 - (x[0] / g) ** 2)]


def zdt3(x):
    g = zdt_g(x)
    r = x[0] / g
    return [x[0], g * (1 - math.sqrt(r) - r * math.sin(10 * math.pi * x[0]))]


def dtlz2(x):
    g = sum((v - 0.5) ** 2 for v in x[2:])
    a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
    return [(1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b),
            (1 + g) * math.sin(a)]


PROBLEMS = [("zdt1", 30, 2, zdt1), ("zdt2", 30, 2, zdt2), ("zdt3", 30, 2, zdt3),
            ("dtlz2", 12, 3, dtlz2)]


def hypervolume(points, ref):
    """Exact: a sweep in 2-D, slicing along the last objective above that."""
    pts = [p for p in points if all(v < r for v, r in zip(p, ref))]
    return _hv(pts, list(ref))


def _hv(pts, ref):
    if not pts:
        return 0.0
    d = len(ref)
    if d == 1:
        return ref[0] - min(p[0] for p in pts)
    if d == 2:
        vol, best = 0.0, ref[1]
        for p in sorted(pts):
            if p[1] < best:
                vol += (ref[0] - p[0]) * (best - p[1])
                best = p[1]
        return vol
    pts = sorted(pts, key=lambda p: p[-1])
    vol, sl = 0.0, []
    for i, p in enumerate(pts):
        sl.append(p[:-1])
        nxt = pts[i + 1][-1] if i + 1 < len(pts) else ref[-1]
        if nxt > p[-1]:
            vol += _hv(sl, ref[:-1]) * (nxt - p[-1])
    return vol


def run(problem, evaluations, population, seed, storage=None):
    name, n_vars, n_obj, f = problem
    names = ["x%02d" % i for i in range(n_vars)]

    def objective(trial):
        return f([trial.suggest_float(n, 0.0, 1.0) for n in names])

    study = optuna.create_study(
        directions=["minimize"] * n_obj, storage=storage,
        sampler=optuna.samplers.NSGAIISampler(population_size=population, seed=seed))
    start = time.perf_counter()
    study.optimize(objective, n_trials=evaluations)
    per_trial = (time.perf_counter() - start) / evaluations
    points = [t.values for t in study.trials if t.values is not None]
    return hypervolume(points, [1.1] * n_obj), hypervolume(points, [11.0] * n_obj), per_trial


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--evaluations", type=int, default=1000)
    ap.add_argument("--population", type=int, default=50)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--sqlite-trials", type=int, default=20,
                    help="trials of one ZDT1 run through Optuna's SQLite storage, for the "
                         "storage-overhead comparison (0: skip)")
    ap.add_argument("--json")
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    out = {"optuna": optuna.__version__, "evaluations": args.evaluations,
           "population": args.population, "seeds": args.seeds, "problems": {}}
    print("%-6s %12s %12s %14s   HV per seed" % ("", "median HV", "HV@11", "ms per trial"))
    for problem in PROBLEMS:
        hvs, wide, times = [], [], []
        for seed in range(1, args.seeds + 1):
            hv, hw, t = run(problem, args.evaluations, args.population, seed)
            hvs.append(hv)
            wide.append(hw)
            times.append(t)
        med, med_wide = statistics.median(hvs), statistics.median(wide)
        ms = statistics.median(times) * 1e3
        print("%-6s %12.6f %12.4f %14.4f   %s" % (problem[0], med, med_wide, ms,
                                                  " ".join("%.6f" % h for h in hvs)))
        sys.stdout.flush()
        out["problems"][problem[0]] = {"median_hv": med, "median_hv_wide": med_wide,
                                       "ms_per_trial": ms, "hv_per_seed": hvs}
    if args.sqlite_trials > 0:
        import os
        import tempfile
        fd, path = tempfile.mkstemp(suffix=".db")
        os.close(fd)
        try:
            _, _, t = run(PROBLEMS[0], args.sqlite_trials, args.population, 1,
                       storage="sqlite:///" + path)
        finally:
            os.remove(path)
        out["sqlite_ms_per_trial"] = t * 1e3
        print("zdt1 through Optuna's SQLite storage: %.3f ms per trial (%d trials)"
              % (t * 1e3, args.sqlite_trials))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
