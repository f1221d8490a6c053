#!/usr/bin/env python3
"""`greentrain run --pue 1.5` writes CodeCarbon's semantics: cpu_energy, gpu_energy and ram_energy
carry the PUE, as CodeCarbon writes them, so they sum to energy_consumed; the JSON keeps the IT
energy and the PUE apart, named; the row says which share of the CPU the command's process tree had.

usage: cli_run_pue.py GREENTRAIN WORK_DIR
"""
import csv
import glob
import json
import math
import os
import shutil
import subprocess
import sys


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def main():
    greentrain, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    busy = "import time\nend = time.monotonic() + 0.5\nwhile time.monotonic() < end: pass\n"
    done = subprocess.run([greentrain, "run", "--pue", "1.5", "--zone", "FR", "--interval", "0.05s",
                           "--quiet", "--output-dir", work, "--", sys.executable, "-c", busy],
                          capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"greentrain run failed ({done.returncode}): {done.stderr}")
    with open(os.path.join(work, "emissions.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != 1:
        fail(f"expected one row, found {len(rows)}")
    row = rows[0]
    parts = sum(float(row[c]) for c in ("cpu_energy", "gpu_energy", "ram_energy"))
    consumed = float(row["energy_consumed"])
    if consumed <= 0 or not close(parts, consumed):
        fail(f"components sum to {parts} kWh, energy_consumed is {consumed} kWh")
    if float(row["pue"]) != 1.5:
        fail(f"pue column is {row['pue']}")
    share = row.get("process_cpu_share", "")
    if share == "" or not 0.0 <= float(share) <= 1.0:
        fail(f"process_cpu_share is '{share}', expected the command's share in [0, 1]")
    (result,) = glob.glob(os.path.join(work, "greentrain-*.json"))
    with open(result) as f:
        total = json.load(f)["total"]
    if total["pue"] != 1.5 or not close(total["it_energy_kwh"] * 1.5, total["energy_kwh"]):
        fail(f"JSON total: it_energy_kwh {total['it_energy_kwh']}, pue {total['pue']}, "
             f"energy_kwh {total['energy_kwh']}")
    if not close(total["cpu"]["it_energy_kwh"] * 1.5, float(row["cpu_energy"])):
        fail(f"JSON cpu it_energy_kwh {total['cpu']['it_energy_kwh']} x 1.5 is not the CSV's "
             f"cpu_energy {row['cpu_energy']}")
    print("cli run --pue: PASS")


if __name__ == "__main__":
    main()
