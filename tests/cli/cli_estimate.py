#!/usr/bin/env python3
"""`greentrain estimate`: the JSON a calculator's user reads, the sentence that says the same, and
the refusal of a GPU it has no figure for.

usage: cli_estimate.py GREENTRAIN
"""
import json
import math
import subprocess
import sys


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def close(a, b, rel=1e-5):
    return math.isclose(a, b, rel_tol=rel)


def estimate(greentrain, *args):
    return subprocess.run([greentrain, "estimate", *args], capture_output=True, text=True)


def main():
    greentrain = sys.argv[1]
    r = estimate(greentrain, "--cpu-model", "Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz",
                 "--threads", "24", "--sockets", "2", "--cpu-load", "0.5", "--ram-gb", "64",
                 "--gpu-model", "NVIDIA A100", "--gpus", "1", "--gpu-load", "0.8", "--duration",
                 "4h", "--zone", "FR", "--pue", "1.1", "--json")
    check(r.returncode == 0, f"estimate --json failed ({r.returncode}): {r.stderr}")
    j = json.loads(r.stdout)
    cpu = j["cpu"]
    check(cpu["tdp_w"] == 170, f"tdp_w {cpu['tdp_w']}, expected 2 x 85 W")
    check(cpu["band"]["low_w"] < cpu["power_w"] < cpu["band"]["high_w"], f"cpu band {cpu}")
    check(cpu["band"]["coverage"] >= 0.8, f"cpu band coverage {cpu['band']}")
    check("E5-2620 v3" in cpu["provenance"], f"cpu provenance {cpu['provenance']}")
    check(close(j["ram"]["power_w"], 0.3725 * 64, 1e-3), f"ram {j['ram']}")
    check(j["ram"]["band"]["coverage"] is None, "the RAM band's coverage is claimed, not measured")
    check(close(j["gpu"]["power_w"], 46 + 361 * 0.8, 1e-3), f"gpu {j['gpu']}")
    check(j["pue"] == 1.1 and close(j["energy_kwh"], j["it_energy_kwh"] * 1.1), f"energy {j}")
    check(close(j["emissions_g"], j["energy_kwh"] * j["intensity_g_per_kwh"]), f"emissions {j}")

    r = estimate(greentrain, "--cpu-model", "AMD EPYC 7742", "--threads", "128", "--cpu-load",
                 "0.25", "--duration", "90m", "--country", "FRA")
    check(r.returncode == 0, f"estimate failed ({r.returncode}): {r.stderr}")
    for words in ("A job of 1.5 h would use", "Every figure is modelled, not measured",
                  "held for 82 % of measured points", "'AMD EPYC 7742'"):
        check(words in r.stdout, f"'{words}' not in: {r.stdout}")

    r = estimate(greentrain, "--cpu-model", "AMD EPYC 7742", "--gpu-model", "RTX 4090")
    check(r.returncode != 0 and "names none of the GPUs" in r.stderr and "T4" in r.stderr,
          f"an unknown GPU: exit {r.returncode}, {r.stderr}")
    print("cli estimate: PASS")


if __name__ == "__main__":
    main()
