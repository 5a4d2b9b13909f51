"""What the e-mails say: plain text, built from what the API itself answers (open tasks, the
week's /stats/summary). Pure functions. A reminder with nothing due is not written; a summary
always is (a week without workouts is worth saying)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

FOOTER = "You get this because you turned it on in Stride's preferences.\nTurn it off (no sign-in needed): {url}\n"
SHOWN_TASKS = 20


def task_reminder(day: date, tasks: list[dict[str, Any]], more: bool, unsubscribe_url: str) -> tuple[str, str] | None:
    """(subject, text), or None when nothing is due."""
    if not tasks:
        return None
    today = day.isoformat()
    due_today = [task for task in tasks if task.get("due_date") == today]
    overdue = [task for task in tasks if task.get("due_date") and task["due_date"] < today]
    subject = f"{len(tasks)}{'+' if more else ''} task{'s' if len(tasks) != 1 or more else ''} for today"
    lines = [f"Good morning! Here is what is on your list for {today}.", ""]
    if due_today:
        lines += ["Due today:", *[f"  - {task['title']}" for task in due_today], ""]
    if overdue:
        lines += ["Overdue:", *[f"  - {task['title']} (due {task['due_date']})" for task in overdue], ""]
    if more:
        lines += ["…and more in the app.", ""]
    return subject, "\n".join(lines) + "\n" + FOOTER.format(url=unsubscribe_url)


def _number(value: Any) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def weekly_summary(summary: dict[str, Any], unsubscribe_url: str) -> tuple[str, str]:
    workouts, tasks, weight = summary["workouts"], summary["tasks"], summary["weight"]
    goal = workouts["weekly_goal"]
    subject = f"Your week: {workouts['count']} workout{'s' if workouts['count'] != 1 else ''}"
    lines = [f"Your week from {summary['from_']} to {summary['to']}:", ""]
    goal_text = f" (goal {goal})" if goal else ""
    lines.append(f"  Workouts: {workouts['count']}{goal_text}, {workouts['total_minutes']} minutes")
    if workouts["current_streak_weeks"]:
        lines.append(f"  Streak: {workouts['current_streak_weeks']} week(s) at your goal")
    if weight["entries"]:
        change = Decimal(str(weight["change"]))
        sign = "+" if change > 0 else ""
        lines.append(
            f"  Weight: {_number(weight['last']['value'])} {weight['unit']} ({sign}{_number(change)} {weight['unit']})"
        )
    else:
        lines.append("  Weight: no entries this week")
    lines.append(f"  Tasks: {tasks['done_in_range']} done, {tasks['open']} open, {tasks['overdue']} overdue")
    return subject, "\n".join(lines) + "\n\n" + FOOTER.format(url=unsubscribe_url)
