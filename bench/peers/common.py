"""What the peers share: the workloads' arguments, the true weights, and the timing protocol.

Each peer script runs in one of two modes:
  e2e   the whole program, as a user runs it: make the data, train, print the chapter's lines;
  loop  make the data, then time the training loop alone: runs of EPOCHS epochs, after one untimed
        run, until BUDGET seconds are spent (at least two timed runs); one JSON line of milliseconds.
The data is d2l-cl's shape: true w = [2, -3.4], b = 4.2 for D = 2, else w_j = (j mod 5) - 2 + j/(2D).
"""
import argparse
import json
import time


def parse(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--mode", choices=["e2e", "loop"], default="e2e")
    p.add_argument("--examples", type=int, default=1000)
    p.add_argument("--features", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=10)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=0.03)
    p.add_argument("--budget", type=float, default=2.0, help="seconds of timed runs in loop mode")
    return p.parse_args()


def true_w(d):
    if d == 2:
        return [2.0, -3.4]
    return [(j % 5) - 2 + 0.5 * j / d for j in range(d)]


def timed_loop(train_once):
    """Runs train_once() (one run of the epochs, returning the last loss) under the loop protocol."""
    def run():
        start = time.perf_counter()
        loss = train_once()
        return (time.perf_counter() - start) * 1e3, loss

    run()
    millis, spent = [], 0.0
    while len(millis) < 2 or spent < ARGS.budget:
        ms, loss = run()
        millis.append(ms)
        spent += ms / 1e3
    print(json.dumps({"loop_ms": millis, "loss": float(loss)}))


ARGS = None


def main(train, errors):
    """Runs train(report) as ARGS.mode says: timed in loop mode, else once, printing the chapter's
    lines and then the errors in w and b that errors() returns."""
    if ARGS.mode == "loop":
        timed_loop(lambda: train(lambda line: None))
    else:
        train(print)
        error_w, error_b = errors()
        print(f"error in estimating w: {error_w}")
        print(f"error in estimating b: {error_b}")


def args(description):
    global ARGS
    ARGS = parse(description)
    return ARGS
