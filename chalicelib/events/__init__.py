"""Blueprints of what runs on events rather than HTTP requests (schedules, the table's stream).

Like the route modules, each only unpacks the event and calls one service.
"""

from chalicelib.events import cognito, email_feedback, jobs, post_remains, reminders, sign_in, stats, webhooks

BLUEPRINTS = (
    cognito.blueprint,
    reminders.blueprint,
    sign_in.blueprint,
    email_feedback.blueprint,
    stats.blueprint,
    webhooks.blueprint,
    post_remains.blueprint,
    jobs.blueprint,
)
