"""The HTML report of a finished run, written by the tracker at stop() and by `greentrain report`,
stands alone: it names nothing outside itself, and headless Chromium renders it from a file with
no console error, no request and its charts drawn.
usage: report_in_browser.py LIVE_RUN GREENTRAIN OUTPUT_DIR  (screenshots go to OUTPUT_DIR)"""
import html.parser
import os
import re
import subprocess
import sys

import harness

CHARTS = 4  # power per component, grid intensity, cumulative emissions, energy per task
SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


class References(html.parser.HTMLParser):
    """Every attribute that could make a browser fetch something, and the style sheets' text."""

    def __init__(self):
        super().__init__()
        self.links, self.styles, self.in_style = [], [], False

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "srcset", "poster", "data", "action") or \
                    (name == "style" and "url(" in (value or "")):
                self.links.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self.in_style:
            self.styles.append(data)

    def handle_endtag(self, tag):
        self.in_style = False


def check_self_contained(text, name):
    without_namespaces = text
    for namespace in SVG_NAMESPACES:
        without_namespaces = without_namespaces.replace(f'"{namespace}"', '""')
    for outside in ("http:", "https:", "//", "@import", "url("):
        at = without_namespaces.find(outside)
        assert at < 0, f"{name} refers outside itself: ...{without_namespaces[at - 60:at + 60]}..."
    parser = References()
    parser.feed(text)
    fetching = [link for link in parser.links if not re.search(r"=['\"]#", link)]
    assert not fetching, f"{name} would fetch {fetching}"


def check_rendered(driver, path, screenshot):
    driver.get("file://" + os.path.abspath(path))
    assert driver.execute_script("return document.readyState") == "complete"
    requests = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert requests == [], f"{path} made the browser fetch {requests}"
    charts = driver.execute_script("""
        return [...document.querySelectorAll('svg')].map(svg => {
          const box = svg.getBoundingClientRect();
          return {width: box.width, height: box.height,
                  marks: svg.querySelectorAll('path, polyline, line, rect, circle').length,
                  label: svg.getAttribute('aria-label') || ''};
        })""")
    assert len(charts) >= CHARTS, f"{len(charts)} inline SVG charts in {path}: {charts}"
    for chart in charts:
        assert chart["width"] > 100 and chart["height"] > 50, f"a chart has no size: {chart}"
        assert chart["marks"] > 0, f"a chart draws nothing: {chart}"
    errors = harness.console_errors(driver)
    assert not errors, f"console errors on {path}: {errors}"
    assert driver.save_screenshot(screenshot)
    return charts


def main(live_run, greentrain, output_dir):
    os.makedirs(output_dir, exist_ok=True)
    with harness.LiveRun(live_run) as run:
        harness.wait_for("three tasks and ten samples", lambda:
                      len(harness.get_json(run.url + "api/v1/run")["tasks"]) >= 3 and
                      len(harness.get_json(run.url + "api/v1/samples?since=0")["samples"]) >= 10)
        run.finish()
        by_tracker = os.path.join(run.output_dir, "greentrain-report-run-live.html")
        by_cli = os.path.join(output_dir, "report-from-csv.html")
        subprocess.run([greentrain, "report", os.path.join(run.output_dir, "emissions.csv"),
                        "--html", by_cli], check=True)
        reports = {"tracker": by_tracker, "cli": by_cli}
        for name, path in reports.items():
            with open(path, encoding="utf-8") as f:
                text = f.read()
            check_self_contained(text, path)
            assert "seen-from-outside" in text and "epoch-2" in text, f"{path} lacks the run"

        driver = harness.chromium(output_dir)
        try:
            for name, path in reports.items():
                screenshot = os.path.join(output_dir, f"report-{name}.png")
                charts = check_rendered(driver, path, screenshot)
                print(f"ok: the {name}'s report renders {len(charts)} charts alone")
        finally:
            harness.quit_chromium(driver)


if __name__ == "__main__":
    main(*sys.argv[1:])
