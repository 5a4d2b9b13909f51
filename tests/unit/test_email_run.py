"""The e-mail run serves many people at once, sends nothing twice, and loses nobody when it is cut
off: whoever it did not reach stays due for the next run (fakes of the schedule, SES, tasks and
stats: tests/email_fakes.py; the timing at 10,000 people is bench/email_run.py's, not a test's)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from tests.email_fakes import Latency, people_due, service

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def test_a_run_serves_people_in_parallel_and_sends_each_e_mail_once():
    latency = Latency(dynamodb=0.001, ses=0.005)
    run, schedule, mailer = service(latency)
    due = people_due(schedule, 200, NOW)
    busy, peak, lock = [0], [0], threading.Lock()
    send = mailer.send

    def counted(mail):
        with lock:
            busy[0] += 1
            peak[0] = max(peak[0], busy[0])
        try:
            return send(mail)
        finally:
            with lock:
                busy[0] -= 1

    mailer.send = counted
    report = run.run(NOW, lambda: 300.0, workers=8)
    assert (report.sent, report.finished, report.failed) == (due, True, 0)
    assert max(Counter(mailer.sent).values()) == 1 and len(mailer.sent) == due
    assert peak[0] > 1  # several sends were under way at once
    # Everyone moved on to their next send: a second run at the same moment sends nothing.
    assert run.run(NOW, lambda: 300.0, workers=8).sent == 0


def test_a_run_cut_off_leaves_the_rest_due_and_the_next_run_sends_it_once():
    latency = Latency(dynamodb=0.001, ses=0.005)
    run, schedule, mailer = service(latency)
    due = people_due(schedule, 300, NOW)
    started = time.monotonic()
    first = run.run(NOW, lambda: 2.3 - (time.monotonic() - started), workers=4)  # 0.3 s before the margin
    assert not first.finished and 0 < first.sent < due
    second = run.run(NOW + timedelta(minutes=15), lambda: 300.0, workers=4)
    assert second.finished and first.sent + second.sent == due
    assert len(mailer.sent) == due and max(Counter(mailer.sent).values()) == 1
    assert set(schedule.records.values()) == {"sent"}


def test_two_runs_at_once_send_each_e_mail_once():
    latency = Latency(dynamodb=0.001, ses=0.002)
    run, schedule, mailer = service(latency)
    due = people_due(schedule, 150, NOW)
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(run.run(NOW, lambda: 300.0, workers=4))) for _ in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.sent for report in reports) == due == len(mailer.sent)
    assert max(Counter(mailer.sent).values()) == 1
