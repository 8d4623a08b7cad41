"""gradekit web in a real browser: headless Chromium (Debian's chromium and chromium-driver)
driven by selenium, as a student and then as the instructor (results, then two students'
notebooks side by side on the similarity page).

Set GRADEKIT_SCREENSHOTS=DIR to keep the screenshots (docs/ holds the committed ones).
"""
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import add_user, running_web
from gradekit.course.layout import Course

pytestmark = pytest.mark.slow
A = "ML06"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser():
    """A headless Chromium (1280 px wide) under selenium; quit afterwards."""
    if not (CHROMIUM and DRIVER):
        pytest.fail("chromium and chromium-driver are needed (apt-get install chromium "
                    "chromium-driver; .ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,1600"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


def by_id(driver, element_id):
    from selenium.webdriver.common.by import By
    return driver.find_element(By.ID, element_id)


def sign_in(driver, url, token):
    driver.get(url + "/")
    assert driver.current_url.endswith("/signin")
    by_id(driver, "token").send_keys(token)
    by_id(driver, "sign-in").click()
    # the answer comes after the sign-in delay: wait for it before going anywhere else
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, 30).until(lambda d: not d.current_url.endswith("/signin"))


def upload(driver, url, path):
    """Upload `path` from the assignment page; returns once its attempt page says graded."""
    from selenium.common.exceptions import StaleElementReferenceException
    driver.get(f"{url}/assignments/{A}")
    by_id(driver, "file").send_keys(str(path))
    by_id(driver, "upload").click()
    deadline = time.monotonic() + 300
    while True:   # the page reloads itself every second while the attempt waits
        try:
            status = by_id(driver, "status").get_attribute("data-status")
        except StaleElementReferenceException:
            continue
        if status not in ("queued", "grading"):
            return status
        assert time.monotonic() < deadline, f"still {status}"
        time.sleep(0.5)


def copied_gradients(root):
    """A script of the library's scipy_expit variant with the reference's `gradients` (and
    the helper it calls) in place of its own: one function copied into work of one's own."""
    import ast

    def segment(text, name):
        node = next(n for n in ast.parse(text).body
                    if isinstance(n, ast.FunctionDef) and n.name == name)
        return ast.get_source_segment(text, node)

    own = (root / "graders" / A / "variants" / "scipy_expit.py").read_text()
    theirs = (root / "reference" / A / "mlp.py").read_text()
    copied = segment(theirs, "_with_bias") + "\n\n\n" + segment(theirs, "gradients")
    return own.replace(segment(own, "gradients"), copied).encode()


def screenshot(driver, tmp_path, name):
    folder = Path(os.environ.get("GRADEKIT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1280, min(max(height + 40, 800), 4000))
    assert driver.save_screenshot(str(folder / name))
    assert (folder / name).stat().st_size > 10_000


def test_student_and_instructor_in_a_browser(browser, tmp_path, course_root):
    from selenium.webdriver.common.by import By
    root = Course(course_root).copy_to(tmp_path / "course").root
    policy = root / "gradekit.toml"   # two uploads in a row: no waiting between them
    policy.write_text(policy.read_text().replace("min_interval_s = 10", "min_interval_s = 0"))
    student, teacher = add_user(root, "alice"), add_user(root, "prof", "instructor")
    copier = add_user(root, "bob")
    with running_web(root, workers=1) as server:
        import httpx   # bob's upload goes through the API, graded while alice uploads
        posted = httpx.post(f"{server.url}/api/assignments/{A}/attempts",
                            headers={"Authorization": f"Bearer {copier}"},
                            files={"file": ("mlp.py", copied_gradients(root))}, timeout=60)
        assert posted.status_code == 202, posted.text
        sign_in(browser, server.url, student)
        assert A in by_id(browser, "assignments").text

        too_large = tmp_path / "too-large.ipynb"   # the page refuses it before sending it
        too_large.write_bytes(b" " * (6 << 20))
        browser.get(f"{server.url}/assignments/{A}")
        by_id(browser, "file").send_keys(str(too_large))
        assert "at most 5 MB" in by_id(browser, "file-error").text
        by_id(browser, "upload").click()
        assert browser.current_url == f"{server.url}/assignments/{A}"
        assert not (root / "uploads" / "alice").exists()

        assert upload(browser, server.url, root / "release" / A / f"{A}.ipynb") == "graded"
        assert by_id(browser, "score").text.startswith("0.00 / 10.00")
        assert upload(browser, server.url, root / "reference" / A / "mlp.py") == "graded"
        assert by_id(browser, "score").text.startswith("10.00 / 10.00")
        rows = by_id(browser, "report").find_elements(By.CSS_SELECTOR, "tr.passed")
        assert len(rows) == len(by_id(browser, "report").find_elements(By.TAG_NAME, "tr")) - 1
        deadline = time.monotonic() + 60   # the report comes first; the page reloads itself
        while not browser.find_elements(By.ID, "feedback"):   # until its plots are drawn
            assert time.monotonic() < deadline, "the plots never came"
            time.sleep(0.5)
        browser.switch_to.frame(by_id(browser, "feedback"))   # the student's own plots
        assert browser.find_elements(By.TAG_NAME, "img")
        browser.switch_to.default_content()
        screenshot(browser, tmp_path, "web-student-result.png")

        browser.get(f"{server.url}/assignments/{A}")
        history = by_id(browser, "history").find_elements(By.TAG_NAME, "tr")[1:]
        assert [row.find_elements(By.TAG_NAME, "td")[0].text for row in history] == ["2", "1"]
        assert "10.00 / 10.00" in by_id(browser, "counted").text

        browser.find_element(By.CSS_SELECTOR, "button.link").click()   # sign out
        sign_in(browser, server.url, teacher)
        browser.get(f"{server.url}/instructor/{A}")
        table = by_id(browser, "grades").text
        assert "alice" in table and "10.00 / 10.00" in table
        assert by_id(browser, "histogram").get_attribute("src").startswith("data:image/svg")
        assert by_id(browser, "pass-rates").get_attribute("src").startswith("data:image/svg")
        screenshot(browser, tmp_path, "web-instructor-dashboard.png")

        # bob's attempt was queued first: it is graded and counted by now
        assert (root / "uploads" / "bob" / A / "counted.json").is_file()
        by_id(browser, "similarity").click()
        assert by_id(browser, "similarity-histogram").get_attribute("src").startswith(
            "data:image/svg")
        by_id(browser, "pairs").find_element(By.LINK_TEXT, "alice ↔ bob").click()
        assert "function `gradients`" in by_id(browser, "evidence").text
        matched = by_id(browser, "side-by-side").find_elements(By.CSS_SELECTOR, ".line.match")
        copied = [m for m in matched if "delta_h.T @ _with_bias(X)" in m.text]
        assert len(copied) == 2   # the copied line, highlighted on both sides
        assert {m.value_of_css_property("background-color") for m in copied} == \
            {"rgba(255, 224, 138, 1)"}
        starter = browser.find_elements(By.CSS_SELECTOR, ".line.starter")
        assert starter and starter[0].value_of_css_property("color") == "rgba(153, 153, 153, 1)"
        screenshot(browser, tmp_path, "web-similarity-pair.png")
