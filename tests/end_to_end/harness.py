"""What the tests that look at greentrain from the outside share: the tools they need, a live run
to look at, processes that never outlive the test, and waiting with a deadline instead of
sleeping."""
import ctypes
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def require(program, package):
    """The path of `program`, or the test fails saying how to install it."""
    path = shutil.which(program)
    if path is None:
        sys.exit(f"FAILED: {program} is not installed; run scripts/install-deps.sh "
                 f"(Debian package {package})")
    return path


def wait_for(what, probe, timeout_s=20.0, every_s=0.1):
    """Calls probe() until it returns something true and returns that, or fails after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout_s:.0f} s waiting for {what}")
        time.sleep(every_s)


def _die_with_parent():
    # Linux: the child gets SIGTERM when this test process dies, even by SIGKILL.
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(args, **kwargs):
    return subprocess.Popen(args, preexec_fn=_die_with_parent, **kwargs)


def stop(process, grace_s=10.0):
    """Terminates the process and reaps it, killing it when it does not end within grace_s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout_s=5.0, token=None):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return response.read().decode()


def get_json(url, token=None):
    return json.loads(get(url, token=token))


class LiveRun:
    """tests/end_to_end/live_run in a temporary output folder: a tracked run served on a loopback
    port. finish() closes its input, so that it stops the tracker and writes its files. With a
    token, the server asks for it (GREENTRAIN_SERVER_TOKEN)."""

    def __init__(self, program, *options, token=None):
        self.output_dir = tempfile.mkdtemp(prefix="greentrain-live-")
        env = dict(os.environ)
        env.pop("GREENTRAIN_SERVER_TOKEN", None)
        if token:
            env["GREENTRAIN_SERVER_TOKEN"] = token
        self.token = token
        self.process = start([program, self.output_dir, *options], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env=env)
        ready, _, _ = select.select([self.process.stdout], [], [], 20)
        line = self.process.stdout.readline() if ready else ""
        if not line.strip().isdigit():
            stop(self.process)
            raise AssertionError(f"live_run did not print its port (got {line!r})")
        self.url = f"http://127.0.0.1:{int(line)}/"

    def finish(self, timeout_s=20.0):
        self.process.stdin.close()
        code = self.process.wait(timeout=timeout_s)
        assert code == 0, f"live_run ended with status {code}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        stop(self.process)
        shutil.rmtree(self.output_dir, ignore_errors=True)


def chromium(output_dir):
    """Headless Chromium driven by Selenium, keeping its console messages; quit() it when done."""
    require("chromium", "chromium")
    driver_path = require("chromedriver", "chromium-driver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        sys.exit("FAILED: Selenium is missing from this python3; run scripts/install-deps.sh "
                 "(Debian package python3-selenium) and give CMake GREENTRAIN_SYSTEM_PYTHON")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    profile = tempfile.mkdtemp(prefix="greentrain-chromium-", dir=output_dir)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", f"--user-data-dir={profile}",
                     "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path, log_path=os.devnull), options=options)
    driver.set_page_load_timeout(30)
    driver.profile_dir = profile
    return driver


def quit_chromium(driver):
    driver.quit()
    shutil.rmtree(driver.profile_dir, ignore_errors=True)


def console_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
