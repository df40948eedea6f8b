"""briefing.html in a real browser: headless Chromium opens the seeds' page from file:// offline.

Skipped when chromium, chromedriver or selenium is missing (`.ci/run` installs them). Set
SUMMARIZE_SCREENSHOTS=DIR to also save the README's screenshots (briefing-390.png and
briefing-1280.png) into DIR.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_story import hostile_record

from summarizer.output.html_out import render_html

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip("needs chromium and chromedriver (apt-get install chromium chromium-driver)", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from summarizer.cli import app, route  # noqa: E402

WIDTHS = {"phone": 390, "desktop": 1280}
SMALLEST = 360  # the narrowest phone the page is made for
HEIGHT = 844
TRANSLATOR, SUMMARIZER = "opus-mt-id-en", "qwen2.5-1.5b-instruct"


def run_cli(*args: str) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, route(list(args)), catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def english(tiny_models_for, seeds_dir, tmp_path_factory) -> Path:
    """The seeds briefed in English by the tests' tiny models: translations with their flags."""
    models = tiny_models_for(TRANSLATOR, SUMMARIZER)
    out = tmp_path_factory.mktemp("html-en")
    run_cli(str(seeds_dir), "--lang", "en", "--models-dir", str(models), "-o", str(out), "-q")
    return out / "seeds"


@pytest.fixture(scope="module")
def indonesian(seeds_dir, tmp_path_factory) -> Path:
    """The seeds briefed in Indonesian by the model-free summarizer: readable text, for screenshots."""
    out = tmp_path_factory.mktemp("html-id")
    no_models = str(out / "no-models")
    run_cli(
        str(seeds_dir), "--lang", "id", "--summarizer", "extractive", "--models-dir", no_models, "-o", str(out), "-q"
    )
    return out / "seeds"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="summarize-chromium-")
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}",
        # Anything that still tried the network would go to a closed local port, never out.
        "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver: Any, page: Path, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get_log("browser")
    driver.get_log("performance")  # start both logs afresh
    driver.get(page.as_uri())


def requests_and_errors(driver: Any) -> tuple[list[str], list[str]]:
    """URLs the page requested (the page itself included) and console messages at error level."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return urls, errors


def visible_panel(driver: Any) -> Any:
    panels = [p for p in driver.find_elements(By.CSS_SELECTOR, "[popover]") if p.is_displayed()]
    assert len(panels) == 1
    return panels[0]


def in_viewport(driver: Any, element: Any) -> bool:
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"  # within a pixel: layout positions are fractional
        "return r.top > -1 && r.bottom < window.innerHeight + 1 && r.left > -1 && r.right < window.innerWidth + 1;",
        element,
    )


@pytest.mark.parametrize("width", WIDTHS.values())
def test_page_loads_offline_with_no_request_and_no_console_error(browser, english, width):
    page = english / "briefing.html"
    open_page(browser, page, width)
    assert browser.find_element(By.ID, "key-points").is_displayed()
    urls, errors = requests_and_errors(browser)
    assert errors == []
    assert set(urls) <= {page.as_uri()}  # nothing but the page itself


def test_keyboard_activation_shows_the_cited_original_and_the_link_lands_on_the_highlighted_sentence(browser, english):
    data = json.loads((english / "briefing.json").read_text(encoding="utf-8"))
    open_page(browser, english / "briefing.html", WIDTHS["desktop"])
    marker = browser.find_element(By.CSS_SELECTOR, "#key-points button.cite")
    browser.execute_script("arguments[0].focus()", marker)
    assert browser.switch_to.active_element == marker
    marker.send_keys(Keys.ENTER)
    panel = visible_panel(browser)
    first = data["briefing"]["points"][0]
    number = int(marker.text.strip("[]"))
    cited = [c for c in first["cites"] if c["source"] == number]
    assert cited and all(c["original"] in panel.text and c["translation"] in panel.text for c in cited)
    link = panel.find_element(By.CSS_SELECTOR, "a.goto")
    link.send_keys(Keys.ENTER)
    target = browser.find_element(By.ID, link.get_attribute("hash")[1:])
    assert not panel.is_displayed()  # the panel closed so the sentence can be seen
    assert browser.execute_script("return location.hash") == link.get_attribute("hash")
    assert target.is_displayed() and in_viewport(browser, target)
    assert browser.switch_to.active_element == target
    background = target.value_of_css_property("background-color")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # highlighted by :target
    assert cited[0]["original"] in target.text
    _, errors = requests_and_errors(browser)
    assert errors == []


def test_a_click_opens_a_citation_and_escape_closes_it(browser, english):
    open_page(browser, english / "briefing.html", WIDTHS["phone"])
    markers = browser.find_elements(By.CSS_SELECTOR, "#key-points button.cite")
    markers[-1].click()
    panel = visible_panel(browser)
    assert panel.find_elements(By.CSS_SELECTOR, "blockquote[lang='id']")
    assert panel.find_elements(By.CSS_SELECTOR, "blockquote[lang='en']")
    assert in_viewport(browser, panel)
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not panel.is_displayed()


def test_flagged_translations_are_visibly_marked(browser, english):
    open_page(browser, english / "briefing.html", WIDTHS["desktop"])
    flags = browser.find_elements(By.CSS_SELECTOR, "#articles tr.flagged .flag")
    assert flags, "the tiny models' translations always raise some flag"
    shown = flags[0]
    browser.execute_script("arguments[0].scrollIntoView()", shown)
    assert shown.is_displayed() and shown.text.startswith("⚑ ")


@pytest.mark.parametrize("name,width", [*WIDTHS.items(), ("smallest", SMALLEST)])
def test_layout_holds_at_phone_and_desktop_width(browser, english, indonesian, name, width, tmp_path):
    for folder in (english, indonesian):
        open_page(browser, folder / "briefing.html", width)
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{folder.parent.name}: page is {overflow}px wider than the {width}px viewport"
        for element in browser.find_elements(By.CSS_SELECTOR, "h1, #key-points li, .text td, .sources li"):
            right = browser.execute_script("return arguments[0].getBoundingClientRect().right", element)
            assert right <= width, element.text[:80]
        cells = browser.find_elements(By.CSS_SELECTOR, ".text td")
        display = cells[0].value_of_css_property("display")
        assert display == ("block" if width < 600 else "table-cell")  # stacked on a phone, side by side on a desktop
    if name in WIDTHS:
        _screenshot(browser, indonesian, name, width)


def _screenshot(browser: Any, folder: Path, name: str, width: int) -> None:
    """The README's pictures: a citation opened on the desktop, the highlighted sentence on a phone."""
    target = os.environ.get("SUMMARIZE_SCREENSHOTS")
    if not target:
        return
    open_page(browser, folder / "briefing.html", width)
    browser.find_element(By.CSS_SELECTOR, "#key-points button.cite").click()
    if name == "phone":
        visible_panel(browser).find_element(By.CSS_SELECTOR, "a.goto").click()
    Path(target).mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(Path(target) / f"briefing-{width}.png"))


def test_hostile_article_runs_nothing(browser, tmp_path):
    page = tmp_path / "briefing.html"
    page.write_text(render_html(hostile_record(tmp_path)), encoding="utf-8")
    open_page(browser, page, WIDTHS["desktop"])
    for marker in browser.find_elements(By.CSS_SELECTOR, "#key-points button.cite"):
        marker.click()
        browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.title != "pwned"
    assert browser.execute_script("return document.scripts.length") == 1
    assert browser.execute_script("return document.querySelectorAll('img, svg, iframe').length") == 0
    assert "<script>document.title='pwned'</script>" in browser.find_element(By.ID, "articles").text
    urls, errors = requests_and_errors(browser)
    assert set(urls) <= {page.as_uri()} and errors == []
