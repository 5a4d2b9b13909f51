"""From an assessment to a program in the browser: every question type, the score, level and
program, sessions marked done with a logged workout or a new one, and sharing on and off."""

from __future__ import annotations

import re

import pytest

from chalicelib import clock
from tests.e2e.browser import DESKTOP, PHONE, check_screen, expect, go
from tests.e2e.staff import enrol_staff

pytestmark = pytest.mark.e2e

ASSESSMENT = {
    "title": "Harbour intake",
    "description": "Five questions before your first session.",
    "questions": [
        {"id": "pull_ups", "prompt": "Pull-ups in a row?", "type": "integer", "weight": 3, "min": 0, "max": 50,
         "zero_at": 0, "full_at": 15},
        {"id": "run_km", "prompt": "Longest run this month, in km?", "type": "number", "weight": 3, "min": 0,
         "max": 100, "zero_at": 0, "full_at": 10},
        {"id": "sleep", "prompt": "How do you sleep?", "type": "choice", "weight": 2, "choices": [
            {"value": "poor", "label": "Poorly", "points": 0}, {"value": "well", "label": "Well", "points": 100}]},
        {"id": "injured", "prompt": "Free of injuries?", "type": "boolean", "weight": 2, "true_points": 100,
         "false_points": 0},
        {"id": "age", "prompt": "Your age, if you like", "type": "integer", "weight": 0, "required": False,
         "min": 14, "max": 110, "zero_at": 14, "full_at": 110},
    ],
}  # fmt: skip


def test_an_assessment_of_every_question_type_makes_a_program_whose_sessions_are_marked_done(person, stack):
    athlete = person()
    assert stack.call("POST", "/businesses", {"name": "Harbour"}, token=athlete.token).status == 201
    enrol_staff(stack, athlete.access_token, athlete.token)  # adding an assessment is a staff right
    token = stack.call("POST", "/auth/refresh", {"refresh_token": athlete.refresh_token}).body["id_token"]
    assert stack.call("POST", "/assessments", ASSESSMENT, token=token).status == 201
    workout = {"title": "Easy row", "type": "cardio", "duration_min": 20, "started_at": clock.today().isoformat()}
    logged = stack.call("POST", "/workouts", workout, token=token)
    assert logged.status == 201, logged.body
    athlete.reload()  # the page's tokens now name the business (a reload refreshes them)

    go(athlete, "Programs", "Programs")
    sharing = athlete.get_by_label("Let my business's coaches and admins see my assessments and programs")
    expect()(athlete.get_by_test_id("sharing-state")).to_have_text(re.compile("^Not shared"))
    sharing.check()
    expect()(athlete.get_by_test_id("sharing-state")).to_have_text(re.compile("^Shared:"))
    assert stack.call("GET", "/me/sharing", token=token).body["coach_access"] is True
    sharing.uncheck()
    expect()(athlete.get_by_test_id("sharing-state")).to_have_text(re.compile("^Not shared"))
    assert stack.call("GET", "/me/sharing", token=token).body["coach_access"] is False

    athlete.get_by_role("button", name="Take Harbour intake").click()
    form = athlete.get_by_role("form", name="Harbour intake")
    form.get_by_label("Longest run this month, in km?").fill("5.2525")
    form.get_by_role("button", name="See my program").click()
    expect()(form.locator("[data-error-for=run_km]")).to_have_text("Use at most 3 decimal places.")
    expect()(form.locator("[data-error-for=pull_ups]")).to_have_text("Answer this question.")
    expect()(form.locator("[data-error-for=age]")).to_have_count(0)  # optional
    check_screen(athlete, "programs-assessment")
    form.get_by_label("Pull-ups in a row?").fill("9")
    form.get_by_label("Longest run this month, in km?").fill("5.25")
    form.get_by_role("group", name="How do you sleep?").get_by_label("Well").check()
    form.get_by_role("group", name="Free of injuries?").get_by_label("Yes").check()
    form.get_by_role("button", name="See my program").click()
    expect()(athlete.get_by_role("heading", name="Your result")).to_be_visible()

    submitted = stack.call("GET", "/submissions", token=token).body["items"]
    expect()(athlete.get_by_test_id("score")).to_have_text(str(submitted[0]["score"]))
    expect()(athlete.get_by_test_id("level")).to_have_text(submitted[0]["level"])
    assert submitted[0]["answers"] == {"pull_ups": 9, "run_km": 5.25, "sleep": "well", "injured": True}
    program = stack.call("GET", "/programs", token=token).body["items"][0]
    total = sum(len(week["sessions"]) for week in program["weeks"])
    done = athlete.get_by_test_id("sessions-done")
    expect()(done).to_have_text(f"0 of {total} sessions done")
    # One week open at a time: on a phone the program is a few screens, not ~6,500 px.
    expect()(athlete.locator("details[data-testid=week][open]")).to_have_count(1)
    athlete.set_viewport_size(PHONE)
    height = athlete.evaluate("document.documentElement.scrollHeight")
    athlete.set_viewport_size(DESKTOP)
    assert height < 3500, f"the program page is {height} px tall on a phone"

    # Session 1 with the workout already logged, session 2 logging a new one.
    athlete.get_by_label("Workout for session 1", exact=True).select_option(label=f"Easy row ({workout['started_at']})")
    athlete.get_by_role("button", name="Mark session 1 done", exact=True).click()
    expect()(done).to_have_text(f"1 of {total} sessions done")
    athlete.get_by_role("button", name="Mark session 2 done", exact=True).click()
    expect()(done).to_have_text(f"2 of {total} sessions done")
    sessions = stack.call("GET", f"/programs/{program['id']}", token=token).body["weeks"][0]["sessions"]
    assert sessions[0]["workout_id"] == logged.body["id"] and sessions[1]["workout_id"] not in (None, logged.body["id"])
    check_screen(athlete, "programs")
    assert athlete.problems == []
