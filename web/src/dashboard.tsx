// The dashboard: the weight trend, this week's workouts against the goal, open tasks, and the
// forms that log each of them.

import { Suspense, lazy, useCallback, useEffect, useRef, useState } from "react";
import { Api, ApiError } from "./api";
import { WeightChart } from "./chart";
import { loadDashboard, takePrefetchedDashboard } from "./dashboardData";
import { Freshness } from "./freshness";
import { SUMMARY_RANGES, rangeBounds, type RangeKey } from "./history";
import type { Preferences, Summary, Task, TaskInput, WeightInput } from "./types";
import { PRIORITIES, WORKOUT_TYPES } from "./types";
import { ActionButton, Alert, Field, Link, Submit, useForm } from "./ui";
import { weightUnit } from "./units";
import * as check from "./validation";

/** ISO week of a YYYY-MM-DD date, as the API names it: 2026-W02. */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = (day.getUTCDay() + 6) % 7; // Monday 0
  day.setUTCDate(day.getUTCDate() - weekday + 3); // the Thursday of this week
  const year = day.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((day.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

const TOTALS_CATCH_UP_MS = 2000;

// The activity upload and the personal records (issue 28) are chunks of their own: the dashboard's
// first paint does not wait for them.
const ActivityUpload = lazy(() => import("./activityUpload").then((module) => ({ default: module.ActivityUpload })));
const RecordsCard = lazy(() => import("./records").then((module) => ({ default: module.RecordsCard })));

export function Dashboard({ api, preferences }: { api: Api; preferences: Preferences }) {
  const [summary, setSummary] = useState<Summary>();
  const [tasks, setTasks] = useState<Task[]>([]);
  const [error, setError] = useState<string>();
  const [announcement, setAnnouncement] = useState("");
  const [reads, setReads] = useState(0); // the records are read again after a save, like the totals

  const [freshness] = useState(() => new Freshness());
  const [range, setRange] = useState<RangeKey>("30d");
  const rangeLabel = SUMMARY_RANGES.find((option) => option.key === range)?.label.toLowerCase() ?? "";

  const load = useCallback(async () => {
    const ticket = freshness.begin();
    // 30 days is the API's default range, in the profile's zone: the shell may have asked already.
    const query = range === "30d" ? {} : rangeBounds(range, check.todayIn(preferences.timezone));
    try {
      const data = await ((range === "30d" ? takePrefetchedDashboard() : undefined) ?? loadDashboard(api, query));
      if (freshness.verdict(ticket) !== "show") return; // a later load, started after something was saved, answers instead
      setSummary(data.summary);
      setTasks(data.openTasks);
      setError(undefined);
    } catch (caught) {
      if (freshness.verdict(ticket) === "show" && caught instanceof ApiError && caught.status !== 401) setError(caught.message);
    }
  }, [api, freshness, range, preferences.timezone]);

  useEffect(() => {
    void load();
  }, [load]);

  // The summary is read from running totals the table's stream keeps, a second or so behind a
  // write (docs/api.md): read again now, and once more when the totals have caught up.
  const catchUp = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(catchUp.current), []);

  const logged = (what: string) => {
    setAnnouncement(`${what} saved.`);
    void load();
    setReads((count) => count + 1);
    window.clearTimeout(catchUp.current);
    catchUp.current = window.setTimeout(() => {
      void load();
      setReads((count) => count + 1);
    }, TOTALS_CATCH_UP_MS);
  };

  const unit = weightUnit(preferences.units);
  const thisWeek = summary ? isoWeek(summary.to) : "";
  const weekCount = summary?.workouts.per_week.find((week) => week.week === thisWeek)?.count ?? 0;
  const goal = summary?.workouts.weekly_goal ?? preferences.weekly_workout_goal;

  return (
    <main id="main" tabIndex={-1} className="dashboard">
      <h1>Your dashboard</h1>
      <div className="row compact filters">
        <Field
          label="Period of the trend and stats"
          name="period"
          required
          options={SUMMARY_RANGES.map((option) => ({ value: option.key, label: `Last ${option.label.toLowerCase().replace("a year", "year")}` }))}
          value={range}
          onChange={(value) => setRange(value as RangeKey)}
        />
        <Link to="/history/weights">See and correct your history</Link>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <Alert message={error} />
      <div className="grid">
        <section className="card span-2" aria-labelledby="trend-heading">
          <h2 id="trend-heading">Weight trend</h2>
          {summary ? (
            <WeightChart series={summary.weight.series} unit={summary.weight.unit ?? unit} from={summary.from} to={summary.to} />
          ) : (
            <p>Loading…</p>
          )}
          {summary && summary.weight.change !== null ? (
            <p className="muted">
              {summary.from} to {summary.to}: {summary.weight.entries} {summary.weight.entries === 1 ? "entry" : "entries"},{" "}
              {summary.weight.change === 0
                ? "no change"
                : `${summary.weight.change > 0 ? "+" : ""}${summary.weight.change} ${summary.weight.unit ?? unit}`}
              .
            </p>
          ) : null}
        </section>

        <section className="card" aria-labelledby="goal-heading">
          <h2 id="goal-heading">This week</h2>
          <p className="big" data-testid="weekly-goal">
            {weekCount} of {goal} workouts
          </p>
          <progress max={Math.max(goal, 1)} value={Math.min(weekCount, Math.max(goal, 1))} aria-labelledby="goal-heading" aria-valuetext={`${weekCount} of ${goal} workouts this week`} />
          {summary ? (
            <p className="muted">
              {summary.workouts.current_streak_weeks} week streak · {summary.workouts.count} workouts, {summary.workouts.total_minutes} minutes in the last {rangeLabel}
            </p>
          ) : null}
        </section>

        <section className="card" aria-labelledby="tasks-heading">
          <h2 id="tasks-heading">Open tasks</h2>
          {tasks.length === 0 ? <p className="muted">Nothing open. Add a task below.</p> : null}
          <ul className="tasks" data-testid="open-tasks">
            {tasks.map((task) => (
              <li key={task.id}>
                <span>
                  {task.title}
                  {task.due_date ? <span className="muted"> · due {task.due_date}</span> : null}
                  {task.priority === "high" ? <span className="tag">high</span> : null}
                </span>
                <ActionButton
                  onError={setError}
                  action={async () => {
                    await api.call((client) =>
                      client.PATCH("/tasks/{task_id}", {
                        params: { path: { task_id: task.id }, header: { "If-Match": String(task.version) } },
                        body: { done: true },
                      }),
                    );
                    logged(`Task “${task.title}” done`);
                  }}
                >
                  Done<span className="visually-hidden">: {task.title}</span>
                </ActionButton>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/history/tasks">All your tasks, done ones too</Link>
          </p>
        </section>

        <Suspense fallback={null}>
          <RecordsCard api={api} units={preferences.units} timezone={preferences.timezone} version={reads} />
          <ActivityUpload api={api} onSaved={() => logged("Activity")} />
        </Suspense>
        <WeightForm api={api} preferences={preferences} onSaved={() => logged("Weight")} />
        <WorkoutForm api={api} preferences={preferences} onSaved={() => logged("Workout")} />
        <TaskForm api={api} onSaved={() => logged("Task")} />
      </div>
    </main>
  );
}

function WeightForm({ api, preferences, onSaved }: { api: Api; preferences: Preferences; onSaved: () => void }) {
  const today = check.todayIn(preferences.timezone);
  const unit = weightUnit(preferences.units);
  const form = useForm({ value: "", unit: unit as string, measured_at: today, body_fat_pct: "", note: "" });
  return (
    <section className="card" aria-labelledby="log-weight-heading">
      <h2 id="log-weight-heading">Log weight</h2>
      <form
        ref={form.formRef}
        noValidate
        aria-labelledby="log-weight-heading"
        onSubmit={(event) => {
          event.preventDefault();
          void form
            .submit(
              (values) => check.weight({ ...values, unit: values.unit as "kg" | "lb" }, preferences.timezone),
              async (values) => {
                const body: WeightInput = {
                  measured_at: values.measured_at,
                  weight: { value: Number(values.value), unit: values.unit as WeightInput["weight"]["unit"] },
                };
                if (values.body_fat_pct.trim()) body.body_fat_pct = Number(values.body_fat_pct);
                if (values.note.trim()) body.note = values.note.trim();
                await api.call((client) =>
                  client.POST("/weights", { params: { header: { "Idempotency-Key": crypto.randomUUID() } }, body }),
                );
              },
              { "weight.value": "value", "weight.unit": "unit", weight: "value" },
            )
            .then((saved) => {
              if (saved) {
                form.setValues((current) => ({ ...current, value: "", body_fat_pct: "", note: "" }));
                onSaved();
              }
            });
        }}
      >
        <Alert message={form.formError} />
        <div className="row">
          <Field label="Weight" name="value" required inputMode="decimal" value={form.values.value} onChange={form.set("value")} error={form.errors.value} />
          <Field label="Unit" name="unit" required options={["kg", "lb"]} value={form.values.unit} onChange={form.set("unit")} error={form.errors.unit} />
        </div>
        <Field label="Date" name="measured_at" type="date" required value={form.values.measured_at} onChange={form.set("measured_at")} error={form.errors.measured_at} />
        <Field label="Body fat %" name="body_fat_pct" inputMode="decimal" value={form.values.body_fat_pct} onChange={form.set("body_fat_pct")} error={form.errors.body_fat_pct} />
        <Field label="Note" name="note" value={form.values.note} onChange={form.set("note")} error={form.errors.note} />
        <Submit busy={form.busy}>Log weight</Submit>
      </form>
    </section>
  );
}

function WorkoutForm({ api, preferences, onSaved }: { api: Api; preferences: Preferences; onSaved: () => void }) {
  const form = useForm({ title: "", type: "strength", duration_min: "", started_at: check.todayIn(preferences.timezone) });
  return (
    <section className="card" aria-labelledby="log-workout-heading">
      <h2 id="log-workout-heading">Log a workout</h2>
      <form
        ref={form.formRef}
        noValidate
        aria-labelledby="log-workout-heading"
        onSubmit={(event) => {
          event.preventDefault();
          void form
            .submit(
              (values) => check.workout(values, preferences.timezone),
              async (values) => {
                const body = {
                  title: values.title.trim(),
                  type: values.type as (typeof WORKOUT_TYPES)[number],
                  duration_min: Number(values.duration_min),
                  started_at: values.started_at,
                };
                await api.call((client) =>
                  client.POST("/workouts", { params: { header: { "Idempotency-Key": crypto.randomUUID() } }, body }),
                );
              },
            )
            .then((saved) => {
              if (saved) {
                form.setValues((current) => ({ ...current, title: "", duration_min: "" }));
                onSaved();
              }
            });
        }}
      >
        <Alert message={form.formError} />
        <Field label="Title" name="title" required value={form.values.title} onChange={form.set("title")} error={form.errors.title} />
        <div className="row">
          <Field label="Type" name="type" required options={WORKOUT_TYPES} value={form.values.type} onChange={form.set("type")} error={form.errors.type} />
          <Field label="Minutes" name="duration_min" required inputMode="numeric" value={form.values.duration_min} onChange={form.set("duration_min")} error={form.errors.duration_min} />
        </div>
        <Field label="Date" name="started_at" type="date" required value={form.values.started_at} onChange={form.set("started_at")} error={form.errors.started_at} />
        <Submit busy={form.busy}>Log workout</Submit>
      </form>
    </section>
  );
}

function TaskForm({ api, onSaved }: { api: Api; onSaved: () => void }) {
  const form = useForm({ title: "", due_date: "", priority: "normal" });
  return (
    <section className="card" aria-labelledby="add-task-heading">
      <h2 id="add-task-heading">Add a task</h2>
      <form
        ref={form.formRef}
        noValidate
        aria-labelledby="add-task-heading"
        onSubmit={(event) => {
          event.preventDefault();
          void form
            .submit(check.task, async (values) => {
              const body: TaskInput = { title: values.title.trim(), priority: values.priority as TaskInput["priority"] };
              if (values.due_date) body.due_date = values.due_date;
              await api.call((client) =>
                client.POST("/tasks", { params: { header: { "Idempotency-Key": crypto.randomUUID() } }, body }),
              );
            })
            .then((saved) => {
              if (saved) {
                form.setValues({ title: "", due_date: "", priority: "normal" });
                onSaved();
              }
            });
        }}
      >
        <Alert message={form.formError} />
        <Field label="Task" name="title" required value={form.values.title} onChange={form.set("title")} error={form.errors.title} />
        <div className="row">
          <Field label="Due" name="due_date" type="date" value={form.values.due_date} onChange={form.set("due_date")} error={form.errors.due_date} />
          <Field label="Priority" name="priority" required options={PRIORITIES} value={form.values.priority} onChange={form.set("priority")} error={form.errors.priority} />
        </div>
        <Submit busy={form.busy}>Add task</Submit>
      </form>
    </section>
  );
}
