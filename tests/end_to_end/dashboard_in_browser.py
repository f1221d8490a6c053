"""The live dashboard, opened in headless Chromium as a user would: its figures move while the run
goes on and agree with the JSON API; the tasks and the chart appear; the console stays clean.
With --token, the server has a token: the page asks for it once in a form, keeps a cookie, and the
token never appears in the address.
usage: dashboard_in_browser.py LIVE_RUN OUTPUT_DIR [--token]  (the screenshot goes to OUTPUT_DIR)"""
import os
import sys

import harness

WATTS_PER_KWH_PER_S = 3.6e6  # 1 W for 1 s is 1/3.6e6 kWh
RUN_WATTS = 42.5 + 3.5       # live_run's CPU and RAM


def number(text):
    """The figure of a dashboard field such as "1.234e-5 kWh"."""
    return float(text.split()[0])


TOKEN = "typed-once 5ecret+%"  # a space, a plus and a percent sign, which the form must encode


def log_in(driver, wait, url):
    """Types the token into the login form, as a user would, and waits for the dashboard."""
    from selenium.webdriver.common.by import By

    assert driver.find_elements(By.ID, "token"), "no login form: " + driver.page_source[:300]
    driver.find_element(By.ID, "token").send_keys("not-the-token")
    driver.find_element(By.ID, "login").click()
    wait.until(lambda d: d.find_elements(By.ID, "wrong"), "a wrong token was not refused")
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    driver.find_element(By.ID, "login").click()
    wait.until(lambda d: d.find_elements(By.ID, "cpu"), "the token did not open the dashboard")
    assert driver.current_url == url, f"{driver.current_url} after the login, not {url}"
    cookies = driver.get_cookies()
    assert [(c["httpOnly"], c["sameSite"]) for c in cookies] == [(True, "Strict")], cookies
    assert all(TOKEN not in c["value"] for c in cookies), cookies
    # The form's two answers are 401s, which Chromium lists; nothing else may be there.
    errors = [e for e in harness.console_errors(driver) if "status of 401" not in e]
    assert not errors, f"console errors while logging in: {errors}"


def main(live_run, output_dir, *flags):
    os.makedirs(output_dir, exist_ok=True)
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    token = TOKEN if "--token" in flags else None
    with harness.LiveRun(live_run, token=token) as run:
        driver = harness.chromium(output_dir)
        try:
            driver.get(run.url)
            wait = WebDriverWait(driver, 20, poll_frequency=0.1)
            field = lambda name: driver.find_element(By.ID, name).text
            if token:
                log_in(driver, wait, run.url)

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
            served = harness.get_json(run.url + "api/v1/run", token)["total"]
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
            last = harness.get_json(run.url + "api/v1/samples?since=0", token)["samples"][-1]
            assert abs(number(intensity) - last["intensity_g_per_kwh"]) <= \
                1e-3 * last["intensity_g_per_kwh"], (intensity, last)

            # Each figure says where it comes from, as the API does: basis, source and any band.
            said = driver.execute_script(
                "return [...document.querySelectorAll('#provenance li')].map(li => li.textContent)")
            assert len(said) == 3, said  # CPU, RAM and the grid intensity
            for line, name in zip(said, ("cpu", "ram")):
                p = served[name]["provenance"]
                assert line.startswith(f"{name.upper()}: {p['basis']} ({p['source']})"), (line, p)
                if p["band_low"] != 1 or p["band_high"] != 1:
                    assert f"band x{p['band_low']:.2f}-x{p['band_high']:.2f}" in line, (line, p)
            assert said[2].startswith("Grid intensity: "), said

            rows = lambda: driver.find_elements(By.CSS_SELECTOR, "#tasks tr")
            wait.until(lambda d: len(rows()) >= 2, "fewer than two tasks were listed")
            # In one script too: the page rebuilds the table every second, which makes rows that
            # were found one by one stale.
            cells = driver.execute_script(
                "return [...document.querySelectorAll('#tasks tr')].map("
                "  row => [...row.cells].map(cell => cell.textContent))")
            assert [c[0] for c in cells[:2]] == ["epoch-0", "epoch-1"], cells
            assert all(float(c[2]) > 0 and float(c[3]) > 0 for c in cells), cells

            lines = driver.find_elements(By.CSS_SELECTOR, "#chart polyline")
            assert len(lines) == 2, f"{len(lines)} lines in the power chart, for the CPU and RAM"
            assert all(len(l.get_attribute("points").split()) >= 2 for l in lines)
            assert field("status").startswith("updated"), field("status")

            errors = harness.console_errors(driver)
            assert not errors, f"console errors: {errors}"
            if token:
                driver.refresh()  # the cookie lasts: no second login
                wait.until(lambda d: field("energy") != "-", "a reload asked for the token again")
                assert TOKEN not in driver.current_url
            screenshot = os.path.join(output_dir, "dashboard.png")
            assert driver.save_screenshot(screenshot) and os.path.getsize(screenshot) > 10000
            print(f"ok: dashboard at {energy}, {emissions}, {len(cells)} tasks; {screenshot}")
        finally:
            harness.quit_chromium(driver)
        run.finish()


if __name__ == "__main__":
    main(*sys.argv[1:])
