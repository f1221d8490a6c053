#!/usr/bin/env python3
"""`greentrain train` under SIGTERM, as a scheduler's time limit sends it: the run stops after a
batch with exit status 143 and leaves its checkpoint, whole rows and the report; `--resume` from
that checkpoint ends on the same weights, bit for bit, as a run never interrupted. A second signal
quits at once and still leaves every file whole.

usage: cli_train_signal.py GREENTRAIN WORK_DIR
"""
import csv
import glob
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time

DEADLINE_S = 120  # for the first epoch to finish on a loaded machine; never slept through
# Each epoch takes about 10 ms: the signal, sent after the first, must land long before the last
# even on a loaded machine (with 60 epochs a run under ctest -j2 once ended before it arrived).
EPOCHS = "400"


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def write_data(path, rows, features=32, classes=4, seed=7):
    rng = random.Random(seed)
    centres = [[rng.uniform(-2, 2) for _ in range(features)] for _ in range(classes)]
    with open(path, "w") as f:
        for i in range(rows):
            label = i % classes
            f.write(",".join([str(label)] + [f"{c + rng.gauss(0, 1):.4f}" for c in centres[label]]))
            f.write("\n")


def train_args(greentrain, data, out, *extra):
    return [greentrain, "train", "--train-csv", data, "--test-csv", data, "--layers", "256,256",
            "--batch", "16", "--epochs", EPOCHS, "--threads", "1", "--seed", "5", "--intensity", "300",
            "--interval", "0.05s", "--no-progress", "--output-dir", out, *extra]


def start_and_signal(args, signals):
    """Starts `args`, waits (polling, with a deadline) for its first epoch line, then sends each
    of `signals`; returns (exit status, stderr)."""
    p = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    seen = b""
    deadline = time.monotonic() + DEADLINE_S
    while b"epoch 1:" not in seen:
        if time.monotonic() > deadline or p.poll() is not None:
            p.kill()
            fail(f"no first epoch line within {DEADLINE_S} s (exit {p.poll()}): {seen.decode()}")
        ready, _, _ = select.select([p.stderr], [], [], 0.5)
        if ready:
            seen += os.read(p.stderr.fileno(), 65536)
    for s in signals:
        p.send_signal(s)
    _, rest = p.communicate(timeout=DEADLINE_S)
    return p.returncode, (seen + rest).decode()


def check_whole_files(out):
    """Every CSV row has as many fields as its header, every JSON parses, no temporary is left."""
    for name in ("emissions.csv", "emissions_tasks.csv"):
        path = os.path.join(out, name)
        if not os.path.exists(path):
            continue
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        if not rows or any(len(r) != len(rows[0]) for r in rows):
            fail(f"{path} has a torn row: {[len(r) for r in rows]}")
    for path in glob.glob(os.path.join(out, "*.json")):
        with open(path) as f:
            json.load(f)
    leftovers = glob.glob(os.path.join(out, "*.tmp*"))
    if leftovers:
        fail(f"temporary files left: {leftovers}")


def rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))[1:]


def main():
    greentrain, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    data = os.path.join(work, "data.csv")
    write_data(data, 2048)

    # The run nobody interrupts: the weights a resumed run must reach.
    reference = os.path.join(work, "reference")
    done = subprocess.run(train_args(greentrain, data, reference), capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"the uninterrupted run failed ({done.returncode}): {done.stderr}")

    interrupted = os.path.join(work, "interrupted")
    status, err = start_and_signal(train_args(greentrain, data, interrupted), [signal.SIGTERM])
    if status == 0:
        fail(f"the run ended before SIGTERM arrived; the test needs a longer run: {err}")
    if status != 143:
        fail(f"exit status {status} after SIGTERM, expected 143: {err}")
    if "training interrupted by SIGTERM" not in err or "--resume" not in err:
        fail(f"the run does not say what happened and how to go on: {err}")
    for name in ("model.gtckpt", "train-summary.json", "report.md", "report.html",
                 "emissions.csv", "emissions_tasks.csv"):
        if not os.path.exists(os.path.join(interrupted, name)):
            fail(f"{name} missing after SIGTERM: {err}")
    check_whole_files(interrupted)
    if len(rows(os.path.join(interrupted, "emissions.csv"))) != 1:
        fail("expected the interrupted run's one row in emissions.csv")
    with open(os.path.join(interrupted, "train-summary.json")) as f:
        summary = json.load(f)
    if summary["interrupted_by"] != "SIGTERM" or summary["test_accuracy"] is not None:
        fail(f"train-summary.json does not say the run was interrupted: {summary}")
    with open(os.path.join(reference, "model.gtckpt"), "rb") as f:
        final = f.read()
    with open(os.path.join(interrupted, "model.gtckpt"), "rb") as f:
        if f.read() == final:
            fail("the signal came after the last batch: nothing was interrupted")

    resumed = subprocess.run(
        train_args(greentrain, data, interrupted, "--resume",
                   os.path.join(interrupted, "model.gtckpt")), capture_output=True, text=True)
    if resumed.returncode != 0:
        fail(f"--resume failed ({resumed.returncode}): {resumed.stderr}")
    with open(os.path.join(interrupted, "model.gtckpt"), "rb") as f:
        if f.read() != final:
            fail("the resumed run ended on other weights than the uninterrupted one")
    if len(rows(os.path.join(interrupted, "emissions.csv"))) != 2:
        fail("expected a row for each part of the run in emissions.csv")

    # Two signals at once: quit without waiting for the report, and leave no file torn.
    twice = os.path.join(work, "twice")
    status, err = start_and_signal(train_args(greentrain, data, twice),
                                   [signal.SIGTERM, signal.SIGTERM])
    if status != 143:
        fail(f"exit status {status} after two SIGTERMs, expected 143: {err}")
    check_whole_files(twice)
    print("cli train signal: PASS")


if __name__ == "__main__":
    main()
