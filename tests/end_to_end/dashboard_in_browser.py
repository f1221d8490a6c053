"""The live dashboard, opened in headless Chromium as a user would: its figures move while the run
goes on and agree with the JSON API; the tasks and the chart appear; the console stays clean.
usage: dashboard_in_browser.py LIVE_RUN OUTPUT_DIR  (the screenshot goes to OUTPUT_DIR)"""
import os
import sys

import harness

WATTS_PER_KWH_PER_S = 3.6e6  # 1 W for 1 s is 1/3.6e6 kWh
RUN_WATTS = 42.5 + 3.5       # live_run's CPU and RAM


def number(text):
    """The figure of a dashboard field such as "1.234e-5 kWh"."""
    return float(text.split()[0])


def main(live_run, output_dir):
    os.makedirs(output_dir, exist_ok=True)
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with harness.LiveRun(live_run) as run:
        driver = harness.chromium(output_dir)
        try:
            driver.get(run.url)
            wait = WebDriverWait(driver, 20, poll_frequency=0.1)
            field = lambda name: driver.find_element(By.ID, name).text

            wait.until(lambda d: field("cpu") == "42.50 W" and field("ram") == "3.500 W",
                       "the power figures never showed 42.50 W and 3.500 W")
            assert field("gpu") == "not present", field("gpu")
            assert field("project") == "seen-from-outside, run run-live", field("project")

            first = wait.until(lambda d: field("energy") if field("energy") != "-" else None)
            wait.until(lambda d: field("energy") != first, "the energy so far never changed")
            # Read in one script, so that no update of the page falls between the figures.
            shown = driver.execute_script(
                "return Object.fromEntries(['energy', 'emissions', 'intensity'].map("
                "  id => [id, document.getElementById(id).textContent]))")
            energy, emissions, intensity = shown["energy"], shown["emissions"], shown["intensity"]
            served = harness.get_json(run.url + "api/v1/run")["total"]
            assert energy.endswith(" kWh") and emissions.endswith(" kg CO2e"), shown
            assert intensity.endswith(" g/kWh"), shown
            # The page polls every second: it may be a few seconds behind the API, never ahead.
            behind = number(energy) - served["energy_kwh"]
            assert -3 * RUN_WATTS / WATTS_PER_KWH_PER_S <= behind <= 1e-3 * served["energy_kwh"], \
                f"dashboard energy {energy} against the API's {served['energy_kwh']} kWh"
            assert number(energy) > number(first), (first, energy)
            # Shown together, so computed together: kWh x g/kWh (PUE 1 on premises).
            expected_kg = number(energy) * number(intensity) / 1000
            assert abs(number(emissions) - expected_kg) <= 2e-3 * expected_kg, \
                f"{emissions} is not {energy} at {intensity}"
            last = harness.get_json(run.url + "api/v1/samples?since=0")["samples"][-1]
            assert abs(number(intensity) - last["intensity_g_per_kwh"]) <= \
                1e-3 * last["intensity_g_per_kwh"], (intensity, last)

            rows = lambda: driver.find_elements(By.CSS_SELECTOR, "#tasks tr")
            wait.until(lambda d: len(rows()) >= 2, "fewer than two tasks were listed")
            # In one script too: the page rebuilds the table each second, and an element read
            # row by row may be gone by the next call (StaleElementReferenceException).
            cells = driver.execute_script(
                "return [...document.querySelectorAll('#tasks tr')].map("
                "  row => [...row.querySelectorAll('td')].map(td => td.innerText))")
            assert [c[0] for c in cells[:2]] == ["epoch-0", "epoch-1"], cells
            assert all(float(c[2]) > 0 and float(c[3]) > 0 for c in cells), cells

            lines = driver.find_elements(By.CSS_SELECTOR, "#chart polyline")
            assert len(lines) == 2, f"{len(lines)} lines in the power chart, for the CPU and RAM"
            assert all(len(l.get_attribute("points").split()) >= 2 for l in lines)
            assert field("status").startswith("updated"), field("status")

            errors = harness.console_errors(driver)
            assert not errors, f"console errors: {errors}"
            screenshot = os.path.join(output_dir, "dashboard.png")
            assert driver.save_screenshot(screenshot) and os.path.getsize(screenshot) > 10000
            print(f"ok: dashboard at {energy}, {emissions}, {len(cells)} tasks; {screenshot}")
        finally:
            harness.quit_chromium(driver)
        run.finish()


if __name__ == "__main__":
    main(*sys.argv[1:])
