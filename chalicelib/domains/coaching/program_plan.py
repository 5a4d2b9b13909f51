"""Turns a score and a weekly goal into a program: WEEKS weeks of sessions, each a list of
exercises with sets, reps and rest. Deterministic: the same inputs give the same plan.

- Level (from the score, see scoring.level) sets the volume: exercises per session, sets, reps
  and rest (PRESCRIPTIONS).
- Sessions per week: the member's weekly workout goal, clamped to 1-6.
- Exercises: the catalogue entries at or below the level, hardest first; session i of a week
  takes the next `exercises` of that list, wrapping around, so a week covers the whole list.
- Progression: +1 rep a week; one more set in weeks 3 and 4.
- Videos are linked when the program is read, not here (`with_videos`): a video of the reader's
  tenant tagged with an exercise's slug is its `video_id`, so a coach's later video is linked to
  programs made before it, and a deleted one stops being linked.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domains.coaching.exercises import EXERCISES

WEEKS = 4
MIN_SESSIONS, MAX_SESSIONS = 1, 6
LEVEL_RANK = {"beginner": 0, "intermediate": 1, "advanced": 2}
PRESCRIPTIONS: dict[str, dict[str, int]] = {
    "beginner": {"exercises": 4, "sets": 2, "reps": 8, "rest_s": 90},
    "intermediate": {"exercises": 5, "sets": 3, "reps": 10, "rest_s": 75},
    "advanced": {"exercises": 6, "sets": 4, "reps": 12, "rest_s": 60},
}


def sessions_per_week(weekly_goal: int) -> int:
    return min(max(int(weekly_goal), MIN_SESSIONS), MAX_SESSIONS)


def _pool(level: str) -> list[dict[str, Any]]:
    rank = LEVEL_RANK[level]
    eligible = [exercise for exercise in EXERCISES if exercise["level"] <= rank]
    return sorted(eligible, key=lambda exercise: -exercise["level"])  # stable: catalogue order within a level


def plan(level: str, weekly_goal: int) -> dict[str, Any]:
    """The program's fields (weeks and how they were sized); ids and times are the caller's."""
    rx = PRESCRIPTIONS[level]
    pool = _pool(level)
    per_week = sessions_per_week(weekly_goal)
    weeks = []
    number = 0
    for week in range(1, WEEKS + 1):
        sessions = []
        for index in range(per_week):
            number += 1
            start = index * rx["exercises"]
            chosen = [pool[(start + offset) % len(pool)] for offset in range(rx["exercises"])]
            exercises = [
                {
                    "name": exercise["name"],
                    "slug": exercise["slug"],
                    "sets": rx["sets"] + (1 if week >= 3 else 0),
                    "reps": rx["reps"] + week - 1,
                    "rest_s": rx["rest_s"],
                    "video_id": None,
                }
                for exercise in chosen
            ]
            sessions.append(
                {
                    "number": number,
                    "week": week,
                    "title": f"Week {week}, session {index + 1}",
                    "exercises": exercises,
                    "completed_at": None,
                    "workout_id": None,
                }
            )
        weeks.append({"number": week, "sessions": sessions})
    return {"level": level, "weeks_count": WEEKS, "sessions_per_week": per_week, "weeks": weeks}


def with_videos(program: dict[str, Any], videos_by_tag: dict[str, str]) -> dict[str, Any]:
    """The program with each exercise linked to the library's video tagged with its slug (None
    without one), whatever was stored: links are the library's as it is now."""
    weeks = [
        {
            **week,
            "sessions": [
                {
                    **session,
                    "exercises": [
                        {**exercise, "video_id": videos_by_tag.get(exercise["slug"])}
                        for exercise in session["exercises"]
                    ],
                }
                for session in week["sessions"]
            ],
        }
        for week in program["weeks"]
    ]
    return {**program, "weeks": weeks}


def session_position(program: dict[str, Any], number: int) -> tuple[int, int] | None:
    """(week index, session index) of session `number` (1-based, across the program), if it exists."""
    per_week = int(program["sessions_per_week"])
    if not 1 <= number <= per_week * int(program["weeks_count"]):
        return None
    return (number - 1) // per_week, (number - 1) % per_week
