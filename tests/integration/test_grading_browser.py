"""Grading by question in a real browser (headless Chromium under selenium, the fixtures of
test_web_browser.py): the instructor adds a rubric item, grades task 3's answers of three
students with keyboard shortcuts only, publishes, and a student sees the feedback.

Set GRADEKIT_SCREENSHOTS=DIR to keep the screenshots (docs/ holds the committed ones:
grading-by-question.png and student-manual-feedback.png).
"""
import json
import os
import time
from pathlib import Path

import httpx
import pytest

from gradekit.course.layout import Course
from tests.conftest import add_user, running_web
from tests.integration.test_web_browser import browser, by_id, screenshot, sign_in  # noqa: F401

pytestmark = pytest.mark.slow
A, Q = "ML06", "task3_architecture"
ANSWERS = {"alice": "A 2-2-1 network: two inputs, two sigmoid hidden units and one output.",
           "bob": "2 hidden neurons with sigmoid, 1 output neuron",
           "cyd": "It has <b>three</b> layers & a softmax output."}


def answered(root, text) -> bytes:
    """The release notebook with `text` as the answer to task 3."""
    nb = json.loads((root / "release" / A / f"{A}.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == Q:
            cell["source"] = text
    return json.dumps(nb).encode()


def graded(url, token, patience_s=300):
    """Wait until the student's first attempt is graded; its status."""
    deadline = time.monotonic() + patience_s
    while True:
        answer = httpx.get(f"{url}/api/assignments/{A}/attempts/1",
                           headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
        if answer["status"] not in ("queued", "grading"):
            return answer["status"]
        assert time.monotonic() < deadline, "the attempt was never graded"
        time.sleep(0.5)


def press(driver, keys):
    """Type `keys` on the page (not into a field), one key at a time."""
    from selenium.webdriver.common.action_chains import ActionChains
    for key in keys:
        ActionChains(driver).send_keys(key).perform()


def test_grading_with_the_keyboard_and_the_students_feedback(browser, tmp_path, course_root):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    root = Course(course_root).copy_to(tmp_path / "course").root
    tokens = {student: add_user(root, student) for student in ANSWERS}
    teacher = add_user(root, "prof", "instructor")
    with running_web(root, workers=1) as server:
        for student, text in ANSWERS.items():
            posted = httpx.post(f"{server.url}/api/assignments/{A}/attempts",
                                headers={"Authorization": f"Bearer {tokens[student]}"},
                                files={"file": (f"{A}.ipynb", answered(root, text))}, timeout=60)
            assert posted.status_code == 202, posted.text
        assert {graded(server.url, tokens[s]) for s in ANSWERS} == {"graded"}

        sign_in(browser, server.url, teacher)
        browser.get(f"{server.url}/instructor/{A}/grading")
        browser.find_element(By.CSS_SELECTOR, f'tr[data-question="{Q}"] a').click()
        by_id(browser, "item-title").send_keys("hidden layer or output wrong")
        by_id(browser, "item-points").send_keys("-0.25")
        by_id(browser, "add-item-button").click()
        WebDriverWait(browser, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, 'input[name="item"][data-shortcut="1"]'))
        page = browser.page_source
        assert "hidden layer or output wrong" in by_id(browser, "items").text
        assert not any(student in page for student in ANSWERS)   # anonymous by default

        def saved():   # Enter saved the answer in focus and the page came back
            WebDriverWait(browser, 30).until(
                lambda d: d.find_elements(By.ID, "note") and "Saved" in by_id(d, "note").text)

        first = by_id(browser, "focus").get_attribute("data-key")
        press(browser, ["1", Keys.ENTER])
        saved()
        assert by_id(browser, "focus-score").text == "0.25 / 0.5"
        assert by_id(browser, "focus").get_attribute("data-key") == first
        press(browser, ["n"])
        WebDriverWait(browser, 30).until(
            lambda d: by_id(d, "focus").get_attribute("data-key") != first)
        press(browser, [Keys.ENTER])   # no item ticked: the whole half point
        saved()
        assert by_id(browser, "focus-score").text == "0.5 / 0.5"
        second = by_id(browser, "focus").get_attribute("data-key")
        press(browser, ["u"])   # the one answer left ungraded
        WebDriverWait(browser, 30).until(
            lambda d: by_id(d, "focus").get_attribute("data-key") not in (first, second))
        assert by_id(browser, "focus-score").text == "not graded"
        press(browser, ["1", Keys.ENTER])
        saved()
        answers = by_id(browser, "answers")
        assert not answers.find_elements(By.CSS_SELECTOR, "tr.ungraded")
        screenshot(browser, tmp_path, "grading-by-question.png")

        browser.get(f"{server.url}/instructor/{A}/grading")
        by_id(browser, "publish-all").click()
        assert "Published every question" in by_id(browser, "note").text

        browser.find_element(By.CSS_SELECTOR, "button.link").click()   # sign out
        sign_in(browser, server.url, tokens["cyd"])
        browser.get(f"{server.url}/assignments/{A}/attempts/1")
        feedback = by_id(browser, "manual-grades")
        row = feedback.find_element(By.CSS_SELECTOR, f'tr[data-question="{Q}"]')
        score = row.find_element(By.CLASS_NAME, "manual-score").text
        assert score in ("0.25 / 0.5", "0.5 / 0.5")
        assert ("hidden layer or output wrong" in row.text) == (score == "0.25 / 0.5")
        browser.set_window_size(1280, 700)   # the top of the page: the points and the feedback
        folder = Path(os.environ.get("GRADEKIT_SCREENSHOTS") or tmp_path)
        assert browser.save_screenshot(str(folder / "student-manual-feedback.png"))
