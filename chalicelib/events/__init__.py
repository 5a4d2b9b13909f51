"""Blueprints of what runs on events rather than HTTP requests (schedules, the table's stream).

Like the route modules, each only unpacks the event and calls one service.
"""

from chalicelib.events import cognito, reminders, stats, webhooks

BLUEPRINTS = (cognito.blueprint, reminders.blueprint, stats.blueprint, webhooks.blueprint)
