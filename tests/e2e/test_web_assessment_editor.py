"""An admin writes an assessment in the browser (questions of several types, their scoring), with
the errors beside the fields, edits it, is told when someone else changed it meanwhile (412), and
deletes it after a confirmation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import check_screen, expect, go
from tests.e2e.staff import enrol_staff

pytestmark = pytest.mark.e2e


def _fresh(stack: Any, page: Any) -> str:
    refreshed = stack.call("POST", "/auth/refresh", {"refresh_token": page.refresh_token})
    assert refreshed.status == 200, refreshed.body
    return refreshed.body["id_token"]


def _error_beside(form: Any, name: str) -> Any:
    return form.locator(f'[data-error-for="{name}"]')


def test_an_admin_writes_and_edits_an_assessment_with_errors_beside_the_fields(person, stack):
    admin = person()
    go(admin, "Business", "Business")
    admin.get_by_label("Business name").fill("Quay Gym")
    admin.get_by_role("button", name="Found business").click()
    expect()(admin.get_by_role("heading", name="Quay Gym")).to_be_visible()
    enrol_staff(stack, admin.access_token, admin.token)
    admin.reload()

    admin.get_by_role("button", name="Write a new assessment").click()
    form = admin.get_by_role("form", name="New assessment")
    form.get_by_role("button", name="Create the assessment").click()
    expect()(_error_beside(form, "title")).to_have_text("Give the assessment a title.")
    expect()(_error_beside(form, "questions.0.prompt")).to_have_text("Write the question.")
    expect()(form.get_by_label("Title")).to_be_focused()

    form.get_by_label("Title").fill("Grip and stamina")
    expect()(_error_beside(form, "title")).to_have_count(0)  # gone once the field is changed
    first = form.get_by_role("group", name="Question 1")
    first.get_by_label("Question", exact=True).fill("Seconds hanging from a bar")
    first.get_by_label("Id", exact=True).fill("hang_seconds")
    first.get_by_label("Lowest answer").fill("10")
    first.get_by_label("Highest answer").fill("5")
    form.get_by_role("button", name="Add a question").click()
    second = form.get_by_role("group", name="Question 2")
    second.get_by_label("Question", exact=True).fill("How often do you run?")
    second.get_by_label("Type").select_option("choice")
    for number, (label, value, points) in enumerate((("Never", "never", "0"), ("Weekly", "weekly", "150")), start=1):
        answer = second.get_by_role("group", name=f"Answer {number} of question 2")
        answer.get_by_label("Label").fill(label)
        answer.get_by_label("Value").fill(value)
        answer.get_by_label("Points").fill(points)
    form.get_by_role("button", name="Create the assessment").click()
    expect()(_error_beside(form, "questions.0.max")).to_have_text("Must be greater than the minimum.")
    expect()(_error_beside(form, "questions.1.choices.1.points")).to_have_text("From 0 to 100.")
    check_screen(admin, "assessment-editor-errors")

    first.get_by_label("Lowest answer").fill("0")
    first.get_by_label("Highest answer").fill("120")
    second.get_by_role("group", name="Answer 2 of question 2").get_by_label("Points").fill("100")
    form.get_by_role("button", name="Create the assessment").click()
    expect()(admin.get_by_text("Created. Members find it under Programs.")).to_be_visible()

    token = _fresh(stack, admin)
    [made] = [a for a in stack.call("GET", "/assessments", token=token).body["items"] if not a["built_in"]]
    assert made["title"] == "Grip and stamina"
    assert [(q["id"], q["type"]) for q in made["questions"]] == [("hang_seconds", "integer"), ("question_2", "choice")]
    assert made["questions"][0]["min"] == 0 and made["questions"][0]["max"] == 120
    assert [c["points"] for c in made["questions"][1]["choices"]] == [0, 100]

    # Edited here while someone else edits it too: the second save is refused (412) and explained.
    editor = admin.get_by_role("form", name='Edit "Grip and stamina"')
    editor.get_by_label("Title").fill("Grip and stamina, v2")
    other = stack.call(
        "PATCH", f"/assessments/{made['id']}", {"title": "Changed elsewhere"}, token=token, headers={"If-Match": "1"}
    )
    assert other.status == 200, other.body
    editor.get_by_role("button", name="Save the assessment").click()
    expect()(editor.get_by_role("alert").first).to_contain_text("Someone changed this assessment")
    editor.get_by_role("button", name="Reload the assessment").click()
    reloaded = admin.get_by_role("form", name='Edit "Changed elsewhere"')
    expect()(reloaded.get_by_label("Title")).to_have_value("Changed elsewhere")
    reloaded.get_by_label("Title").fill("Grip and stamina, v3")
    reloaded.get_by_role("button", name="Save the assessment").click()
    expect()(admin.get_by_text("Saved. Members who take it from now on")).to_be_visible()
    titles = [a["title"] for a in stack.call("GET", "/assessments", token=token).body["items"] if not a["built_in"]]
    assert titles == ["Grip and stamina, v3"]
    check_screen(admin, "assessment-editor")

    # Deleted after a confirmation: members can no longer take it.
    editor = admin.get_by_role("form", name='Edit "Grip and stamina, v3"')
    editor.get_by_role("button", name="Delete the assessment").click()
    editor.get_by_role("button", name="Yes, delete the assessment").click()
    expect()(admin.get_by_role("form", name='Edit "Grip and stamina, v3"')).to_have_count(0)
    expect()(admin.get_by_text("Only the built-in assessment so far.")).to_be_visible()
    assert [a for a in stack.call("GET", "/assessments", token=token).body["items"] if not a["built_in"]] == []
    assert admin.problems == []
