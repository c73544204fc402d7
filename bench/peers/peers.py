"""d2l-cl beside its peers: the same workloads in NumPy and PyTorch, interleaved with d2l-cl's, in
the training loop and end to end. Run by `./d2l-cl bench --peers`; writes peers.json (every
measurement) and peers.md (the tables of docs/performance.md) into --out.

In-loop: each implementation runs in its own process under common.py's loop protocol (the data made
first, then runs of the epochs timed alone); a round runs every implementation once per workload, in
an order that rotates from round to round; the figure is the median over rounds of each process's
median. End to end: the wall time of the whole command, from process start to exit, as a user runs
it; the median over rounds. PyTorch's columns appear when `import torch` works.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

WORKLOADS = [  # name, examples, features, batch size, epochs
    ("the chapter, 1000×2, batch 10, 3 epochs", 1000, 2, 10, 3),
    ("2^20×64, batch 256, 1 epoch", 1 << 20, 64, 256, 1),
    ("2^20×64, batch 16, 1 epoch", 1 << 20, 64, 16, 1),
]
END_TO_END = WORKLOADS[:2]
LR = 0.03


def has_torch():
    return subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode == 0


def loop_commands(jar, torch):
    java = ["java", "-cp", jar, "org.d2lcl.bench.PeerLoop"]
    impls = {f"d2l-cl {k}": (lambda n, d, bs, e, budget, k=k: java + [k, str(n), str(d), str(bs), str(e), str(LR),
                                                                     str(budget)])
             for k in ("epoch", "fused", "java")}

    def py(script):
        return lambda n, d, bs, e, budget: [sys.executable, os.path.join(HERE, script), "--mode", "loop",
                                            "--examples", str(n), "--features", str(d), "--batch-size", str(bs),
                                            "--epochs", str(e), "--lr", str(LR), "--budget", str(budget)]
    impls["NumPy"] = py("chapter_numpy.py")
    if torch:
        impls["PyTorch, the chapter's code"] = py("chapter_torch.py")
        impls["PyTorch, hand-tuned"] = py("tuned_torch.py")
    return impls


def e2e_commands(launcher, torch):
    def d2l(n, d, bs, e):
        return [launcher, "train", "-q", "--examples", str(n), "--true-w", ",".join(f"{x:g}" for x in common.true_w(d)),
                "--batch-size", str(bs), "--epochs", str(e), "--lr", str(LR)]

    def py(script):
        return lambda n, d, bs, e: [sys.executable, os.path.join(HERE, script), "--examples", str(n), "--features",
                                    str(d), "--batch-size", str(bs), "--epochs", str(e), "--lr", str(LR)]
    impls = {"./d2l-cl train": d2l, "NumPy script": py("chapter_numpy.py")}
    if torch:
        impls["PyTorch, the chapter's code"] = py("chapter_torch.py")
    return impls


def run(command, timeout=900):
    start = time.perf_counter()
    p = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    wall = (time.perf_counter() - start) * 1e3
    if p.returncode != 0:
        sys.exit(f"peers: {' '.join(command[:4])} ... failed ({p.returncode}): {p.stderr.strip()[-500:]}")
    return wall, p.stdout


def rotated(items, r):
    items = list(items)
    k = r % len(items)
    return items[k:] + items[:k]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--launcher", required=True)
    p.add_argument("--jar", required=True, help="the benchmarks jar (org.d2lcl.bench.PeerLoop)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--budget", type=float, default=1.0, help="seconds of timed runs per process")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch = has_torch()
    loops, e2e = loop_commands(a.jar, torch), e2e_commands(a.launcher, torch)
    results = {"loop_ms": {w[0]: {k: [] for k in loops} for w in WORKLOADS},
               "e2e_ms": {w[0]: {k: [] for k in e2e} for w in END_TO_END}}
    run(e2e["./d2l-cl train"](*END_TO_END[0][1:]))  # builds the jar and its start-up archive, untimed
    for r in range(a.rounds):
        for name, n, d, bs, e in WORKLOADS:
            for impl in rotated(loops, r):
                _, out = run(loops[impl](n, d, bs, e, a.budget))
                results["loop_ms"][name][impl].append(statistics.median(json.loads(out)["loop_ms"]))
                print(f"round {r + 1}: {name}: {impl}: {results['loop_ms'][name][impl][-1]:.2f} ms", file=sys.stderr)
        for name, n, d, bs, e in END_TO_END:
            for impl in rotated(e2e, r):
                wall, _ = run(e2e[impl](n, d, bs, e))
                results["e2e_ms"][name][impl].append(wall)
                print(f"round {r + 1}: {name}: {impl} end to end: {wall:.0f} ms", file=sys.stderr)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "peers.json"), "w") as f:
        json.dump(results, f, indent=1)
    table = markdown(results, a.rounds)
    with open(os.path.join(a.out, "peers.md"), "w") as f:
        f.write(table)
    print(table)


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt(ms):
    return f"{ms:.2f} ms" if ms < 10 else f"{ms:.0f} ms"


def markdown(results, rounds):
    lines = [f"In the loop (median over {rounds} interleaved rounds of each process's median):", ""]
    loop = results["loop_ms"]
    impls = list(next(iter(loop.values())))
    lines += ["| workload | " + " | ".join(impls) + " |", "|---|" + "---|" * len(impls)]
    for name, by in loop.items():
        lines.append(f"| {name} | " + " | ".join(fmt(med(by[k])) for k in impls) + " |")
    lines += ["", f"End to end, process start to exit (median of {rounds} rounds):", ""]
    e2e = results["e2e_ms"]
    impls = list(next(iter(e2e.values())))
    lines += ["| workload | " + " | ".join(impls) + " |", "|---|" + "---|" * len(impls)]
    for name, by in e2e.items():
        lines.append(f"| {name} | " + " | ".join(fmt(med(by[k])) for k in impls) + " |")
    lines += ["", "Targets:", ""]
    big, b16 = WORKLOADS[1][0], WORKLOADS[2][0]
    chapter = WORKLOADS[0][0]

    def ratio(table, name, num, den):
        return med(table[name][num]) / med(table[name][den]) if num in table[name] else float("nan")

    checks = [
        ("loop, 2^20×64 batch 256: d2l-cl epoch ≥ 3× NumPy", ratio(loop, big, "NumPy", "d2l-cl epoch"), 3, True),
        ("loop, 2^20×64 batch 256: d2l-cl epoch ≥ 3× hand-tuned PyTorch",
         ratio(loop, big, "PyTorch, hand-tuned", "d2l-cl epoch"), 3, True),
        ("loop, 2^20×64 batch 16: d2l-cl fused faster than NumPy", ratio(loop, b16, "NumPy", "d2l-cl fused"), 1, True),
        ("end to end, the chapter: ./d2l-cl train no slower than the NumPy script",
         ratio(e2e, chapter, "./d2l-cl train", "NumPy script"), 1, False),
        ("end to end, 2^20×64: ./d2l-cl train ≤ 0.6× the NumPy script",
         ratio(e2e, big, "./d2l-cl train", "NumPy script"), 0.6, False),
    ]
    for what, value, bound, at_least in checks:
        met = value >= bound if at_least else value <= bound
        lines.append(f"- {what}: {value:.2f}× — {'met' if met else 'not met'}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
