"""A real Prometheus scrapes a live run every second; its HTTP API must show our series, with their
labels, and counters that grow from one scrape to the next.
usage: prometheus_scrape.py LIVE_RUN"""
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse

import harness

COMPONENTS = {"cpu", "ram"}  # what live_run's machine has
RUN_LABELS = {"project": "seen-from-outside", "run": "run-live"}


def start_prometheus(prometheus, target, folder):
    config = os.path.join(folder, "prometheus.yml")
    with open(config, "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                "scrape_configs:\n  - job_name: greentrain\n"
                f"    static_configs:\n      - targets: ['{target}']\n")
    log = open(os.path.join(folder, "prometheus.log"), "w")
    for _ in range(3):  # the free port may be taken between finding it and binding it
        port = harness.free_port()
        process = harness.start([prometheus, f"--config.file={config}",
                              f"--storage.tsdb.path={os.path.join(folder, 'data')}",
                              f"--web.listen-address=127.0.0.1:{port}"],
                             stdout=log, stderr=subprocess.STDOUT)
        api = f"http://127.0.0.1:{port}/"

        def ready():
            if process.poll() is not None:
                return "exited"
            try:
                return "ready" if "Ready" in harness.get(api + "-/ready") else None
            except (urllib.error.URLError, ConnectionError):
                return None

        if harness.wait_for("Prometheus to be ready", ready, timeout_s=30) == "ready":
            return process, api
        harness.stop(process)
    log.close()
    sys.exit("FAILED: Prometheus did not start; its log:\n" +
             open(os.path.join(folder, "prometheus.log")).read())


def query(api, promql):
    answer = harness.get_json(api + "api/v1/query?" + urllib.parse.urlencode({"query": promql}))
    assert answer["status"] == "success", answer
    return answer["data"]["result"]


def scraped(api, promql, count):
    """The series of `promql` over the last minute, once each has `count` scraped values or more."""
    def enough():
        series = query(api, promql + "[1m]")
        return series if series and all(len(s["values"]) >= count for s in series) else None
    return harness.wait_for(f"{count} scrapes of {promql}", enough, timeout_s=30)


def check_increasing(series):
    values = [float(v) for _, v in series["values"]]
    assert all(b > a for a, b in zip(values, values[1:])), \
        f"{series['metric']} does not grow from scrape to scrape: {values}"


def main(live_run):
    prometheus = harness.require("prometheus", "prometheus")
    # Without tasks: the tracker samples at each task's start and end too, and the power of such an
    # interval, microseconds long, is skewed by the clock reads; the gauge would show it.
    with harness.LiveRun(live_run, "--without-tasks") as run, \
            tempfile.TemporaryDirectory(prefix="greentrain-prom-") as folder:
        target = run.url.removeprefix("http://").rstrip("/")
        process, api = start_prometheus(prometheus, target, folder)
        try:
            up = harness.wait_for("the target to be up",
                                  lambda: query(api, 'up{job="greentrain"} == 1'))
            assert up[0]["metric"]["instance"] == target, up

            energy = scraped(api, "greentrain_energy_kwh_total", 5)
            assert {s["metric"]["component"] for s in energy} == COMPONENTS, energy
            for series in energy:
                assert RUN_LABELS.items() <= series["metric"].items(), series["metric"]
                check_increasing(series)
            cpu = next(s for s in energy if s["metric"]["component"] == "cpu")
            ram = next(s for s in energy if s["metric"]["component"] == "ram")
            # 42.5 W against 3.5 W: the same run, so the same ratio in every scrape.
            ratio = float(cpu["values"][-1][1]) / float(ram["values"][-1][1])
            assert abs(ratio - 42.5 / 3.5) < 0.05 * 42.5 / 3.5, f"cpu/ram energy ratio {ratio}"

            emissions = scraped(api, "greentrain_emissions_kg_total", 3)
            assert len(emissions) == 1 and RUN_LABELS.items() <= emissions[0]["metric"].items()
            check_increasing(emissions[0])

            power = scraped(api, "greentrain_power_watts", 5)
            assert {s["metric"]["component"] for s in power} == COMPONENTS, power
            for series in power:
                assert RUN_LABELS.items() <= series["metric"].items(), series["metric"]
                expected = 42.5 if series["metric"]["component"] == "cpu" else 3.5
                values = [float(v) for _, v in series["values"]]
                assert all(abs(v - expected) < 1e-3 * expected for v in values), \
                    f"{series['metric']['component']} power is not {expected} W: {values}"

            intensity = query(api, "greentrain_intensity_grams_per_kwh")
            assert len(intensity) == 1 and RUN_LABELS.items() <= intensity[0]["metric"].items()
            served = harness.get_json(run.url + "api/v1/samples?since=0")["samples"][-1]
            assert float(intensity[0]["value"][1]) == served["intensity_g_per_kwh"], \
                (intensity, served)

            # kWh against the scrapes' own clock: a unit slip would be off by a factor of 1000.
            (t0, e0), (t1, e1) = cpu["values"][0], cpu["values"][-1]
            watts_by_counter = (float(e1) - float(e0)) * 3.6e6 / (t1 - t0)
            assert abs(watts_by_counter - 42.5) < 0.25 * 42.5, \
                f"the cpu counter grows at {watts_by_counter} W"
            run.finish()  # the server closes with Prometheus still connected
            print(f"ok: Prometheus scraped {len(energy[0]['values'])} growing values per counter")
        finally:
            harness.stop(process)


if __name__ == "__main__":
    main(*sys.argv[1:])
