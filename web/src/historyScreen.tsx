// History you can correct: weights, workouts and tasks, newest first, a page at a time (the
// API's cursor: "Load more"), filtered by range (tasks: by status), each entry editable (with
// If-Match: a 412 is explained, with a reload) and deletable after a confirmation. Loaded on
// demand (lazyScreen in App.tsx): the first screen's bundle does not carry it.

import { useEffect, useRef, useState, type ReactNode } from "react";
import { Api, type FieldErrors } from "./api";
import {
  RANGES,
  TASK_FILTERS,
  appendPage,
  changedFields,
  formatWeight,
  isOverdue,
  localDay,
  rangeBounds,
  replaced,
  taskQuery,
  weightUnit,
  without,
  type RangeKey,
  type TaskFilter,
} from "./history";
import type { Page } from "./pages";
import type { Preferences, Task, Workout } from "./types";
import { formatDistance } from "./activity";
import { PRIORITIES, WORKOUT_TYPES } from "./types";
import type { components } from "./generated/openapi";
import { Alert, Field, Link, Loading, RadioGroup, Submit, failure, useForm, useLoad, type FieldMap } from "./ui";
import * as check from "./validation";
import { ConflictAlert, useVersionedEdit } from "./versionedEdit";

type Weight = components["schemas"]["Weight"];
type Values = Record<string, string>;
type Query = { from?: string; to?: string; cursor?: string };

/** What one kind of entry needs: how to list, show, edit and delete it. */
interface Kind<T extends { id: string; version: number }> {
  noun: string;
  plural: string;
  list: (query: Query) => Promise<Page<T>>;
  /** A short name for one entry, for buttons' accessible names and announcements. */
  name: (item: T) => string;
  show: (item: T) => ReactNode;
  initial: (item: T) => Values;
  validate: (values: Values) => FieldErrors;
  fields: (form: ReturnType<typeof useForm<Values>>) => ReactNode;
  /** The patch of what changed, or null when nothing did. */
  patch: (item: T, values: Values, initial: Values) => Promise<T> | null;
  remove: (item: T) => Promise<void>;
  fieldMap?: FieldMap;
}

const TABS = [
  { path: "/history/weights", label: "Weights" },
  { path: "/history/workouts", label: "Workouts" },
  { path: "/history/tasks", label: "Tasks" },
] as const;

export function HistoryPage({ api, preferences, path }: { api: Api; preferences: Preferences; path: string }) {
  const tab = TABS.find((candidate) => candidate.path === path) ?? TABS[0];
  return (
    <main id="main" tabIndex={-1}>
      <h1>History</h1>
      <nav aria-label="History" className="tabs">
        <ul>
          {TABS.map((candidate) => (
            <li key={candidate.path}>
              <Link to={candidate.path}>{candidate.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab.label === "Weights" ? <WeightHistory key="weights" api={api} preferences={preferences} /> : null}
      {tab.label === "Workouts" ? <WorkoutHistory key="workouts" api={api} preferences={preferences} /> : null}
      {tab.label === "Tasks" ? <TaskHistory key="tasks" api={api} preferences={preferences} /> : null}
    </main>
  );
}

function ifMatch(item: { version: number }) {
  return { "If-Match": String(item.version) };
}

function WeightHistory({ api, preferences }: { api: Api; preferences: Preferences }) {
  const tz = preferences.timezone;
  const kind: Kind<Weight> = {
    noun: "weight",
    plural: "weights",
    list: (query) => api.call((client) => client.GET("/weights", { params: { query: { ...query, limit: 20 } } })),
    name: (item) => `weight of ${localDay(item.measured_at, tz)}`,
    show: (item) => (
      <>
        <strong>{formatWeight(item.weight.value, item.weight.unit)}</strong> <span className="muted">{localDay(item.measured_at, tz)}</span>
        {item.body_fat_pct !== undefined ? <span className="muted"> · {item.body_fat_pct} % body fat</span> : null}
        {item.note ? <span className="muted"> · {item.note}</span> : null}
      </>
    ),
    initial: (item) => ({
      value: String(item.weight.value),
      unit: item.weight.unit === "lb" ? "lb" : "kg",
      measured_at: localDay(item.measured_at, tz),
      body_fat_pct: item.body_fat_pct === undefined ? "" : String(item.body_fat_pct),
      note: item.note ?? "",
    }),
    validate: (values) =>
      check.weight(
        { value: values.value, unit: values.unit as "kg" | "lb", measured_at: values.measured_at, body_fat_pct: values.body_fat_pct, note: values.note },
        tz,
      ),
    fields: (form) => (
      <>
        <div className="row">
          <Field label="Weight" name="value" required inputMode="decimal" value={form.values.value} onChange={form.set("value")} error={form.errors.value} />
          <Field label="Unit" name="unit" required options={["kg", "lb"]} value={form.values.unit} onChange={form.set("unit")} error={form.errors.unit} />
        </div>
        <Field label="Date" name="measured_at" type="date" required value={form.values.measured_at} onChange={form.set("measured_at")} error={form.errors.measured_at} />
        <Field label="Body fat %" name="body_fat_pct" inputMode="decimal" value={form.values.body_fat_pct} onChange={form.set("body_fat_pct")} error={form.errors.body_fat_pct} />
        <Field label="Note" name="note" value={form.values.note} onChange={form.set("note")} error={form.errors.note} />
      </>
    ),
    patch: (item, values, initial) => {
      const names = changedFields(values, initial);
      if (!names.length) return null;
      const body: components["schemas"]["WeightPatch"] = {};
      if (names.includes("value") || names.includes("unit")) body.weight = { value: Number(values.value), unit: values.unit as "kg" | "lb" };
      if (names.includes("measured_at")) body.measured_at = values.measured_at;
      if (names.includes("body_fat_pct")) body.body_fat_pct = values.body_fat_pct.trim() ? Number(values.body_fat_pct) : null;
      if (names.includes("note")) body.note = values.note.trim() ? values.note.trim() : null;
      return api.call((client) =>
        client.PATCH("/weights/{weight_id}", { params: { path: { weight_id: item.id }, header: ifMatch(item) }, body }),
      );
    },
    remove: (item) =>
      api.call((client) => client.DELETE("/weights/{weight_id}", { params: { path: { weight_id: item.id }, header: ifMatch(item) } })),
    fieldMap: { "weight.value": "value", "weight.unit": "unit", weight: "value" },
  };
  return <History kind={kind} preferences={preferences} ranged hint={`Shown in ${weightUnit(preferences.units)} (your preferences).`} />;
}

function WorkoutHistory({ api, preferences }: { api: Api; preferences: Preferences }) {
  const tz = preferences.timezone;
  const kind: Kind<Workout> = {
    noun: "workout",
    plural: "workouts",
    list: (query) => api.call((client) => client.GET("/workouts", { params: { query: { ...query, limit: 20 } } })),
    name: (item) => `workout “${item.title}” of ${localDay(item.started_at, tz)}`,
    show: (item) => (
      <>
        <strong>
          <Link to={`/workouts/${item.id}`}>{item.title}</Link>
        </strong>{" "}
        <span className="muted">{localDay(item.started_at, tz)}</span>
        <span className="muted">
          {" "}
          · {item.sport ?? item.type} · {item.duration_min} min
          {item.distance_m !== undefined ? ` · ${formatDistance(item.distance_m, preferences.units)}` : ""}
        </span>
      </>
    ),
    initial: (item) => ({ title: item.title, type: item.type, duration_min: String(item.duration_min), started_at: localDay(item.started_at, tz) }),
    validate: (values) => check.workout({ title: values.title, type: values.type, duration_min: values.duration_min, started_at: values.started_at }, tz),
    fields: (form) => (
      <>
        <Field label="Title" name="title" required value={form.values.title} onChange={form.set("title")} error={form.errors.title} />
        <div className="row">
          <Field label="Type" name="type" required options={WORKOUT_TYPES} value={form.values.type} onChange={form.set("type")} error={form.errors.type} />
          <Field label="Minutes" name="duration_min" required inputMode="numeric" value={form.values.duration_min} onChange={form.set("duration_min")} error={form.errors.duration_min} />
        </div>
        <Field label="Date" name="started_at" type="date" required value={form.values.started_at} onChange={form.set("started_at")} error={form.errors.started_at} />
      </>
    ),
    patch: (item, values, initial) => {
      const names = changedFields(values, initial);
      if (!names.length) return null;
      const body: components["schemas"]["WorkoutPatch"] = {};
      if (names.includes("title")) body.title = values.title.trim();
      if (names.includes("type")) body.type = values.type as (typeof WORKOUT_TYPES)[number];
      if (names.includes("duration_min")) body.duration_min = Number(values.duration_min);
      if (names.includes("started_at")) body.started_at = values.started_at;
      return api.call((client) =>
        client.PATCH("/workouts/{workout_id}", { params: { path: { workout_id: item.id }, header: ifMatch(item) }, body }),
      );
    },
    remove: (item) =>
      api.call((client) => client.DELETE("/workouts/{workout_id}", { params: { path: { workout_id: item.id }, header: ifMatch(item) } })),
  };
  return <History kind={kind} preferences={preferences} ranged />;
}

function TaskHistory({ api, preferences }: { api: Api; preferences: Preferences }) {
  const [filter, setFilter] = useState<TaskFilter>("open");
  const today = check.todayIn(preferences.timezone);
  const kind: Kind<Task> = {
    noun: "task",
    plural: "tasks",
    list: ({ cursor }) =>
      api.call((client) => client.GET("/tasks", { params: { query: { ...taskQuery(filter), cursor, limit: 20 } } })),
    name: (item) => `task “${item.title}”`,
    show: (item) => (
      <>
        <strong>{item.title}</strong>
        {item.due_date ? <span className="muted"> · due {item.due_date}</span> : null}
        {item.priority === "high" ? <span className="tag">high</span> : null}
        {item.done ? <span className="tag done">done</span> : null}
        {isOverdue(item, today) ? (
          <span className="tag overdue" data-testid="overdue">
            overdue
          </span>
        ) : null}
      </>
    ),
    initial: (item) => ({ title: item.title, due_date: item.due_date ?? "", priority: item.priority, done: item.done ? "done" : "open" }),
    validate: (values) => check.task({ title: values.title, due_date: values.due_date }),
    fields: (form) => (
      <>
        <Field label="Task" name="title" required value={form.values.title} onChange={form.set("title")} error={form.errors.title} />
        <div className="row">
          <Field label="Due" name="due_date" type="date" value={form.values.due_date} onChange={form.set("due_date")} error={form.errors.due_date} />
          <Field label="Priority" name="priority" required options={PRIORITIES} value={form.values.priority} onChange={form.set("priority")} error={form.errors.priority} />
          <Field
            label="Status"
            name="done"
            required
            options={[
              { value: "open", label: "open" },
              { value: "done", label: "done" },
            ]}
            value={form.values.done}
            onChange={form.set("done")}
            error={form.errors.done}
          />
        </div>
      </>
    ),
    patch: (item, values, initial) => {
      const names = changedFields(values, initial);
      if (!names.length) return null;
      const body: components["schemas"]["TaskPatch"] = {};
      if (names.includes("title")) body.title = values.title.trim();
      if (names.includes("due_date")) body.due_date = values.due_date || null;
      if (names.includes("priority")) body.priority = values.priority as (typeof PRIORITIES)[number];
      if (names.includes("done")) body.done = values.done === "done";
      return api.call((client) => client.PATCH("/tasks/{task_id}", { params: { path: { task_id: item.id }, header: ifMatch(item) }, body }));
    },
    remove: (item) => api.call((client) => client.DELETE("/tasks/{task_id}", { params: { path: { task_id: item.id }, header: ifMatch(item) } })),
  };
  return (
    <History kind={kind} preferences={preferences} ranged={false} filterKey={filter}>
      <RadioGroup
        legend="Show"
        name="status"
        required
        value={filter}
        options={TASK_FILTERS}
        onChange={(value) => setFilter(value as TaskFilter)}
      />
    </History>
  );
}

function History<T extends { id: string; version: number }>({
  kind,
  preferences,
  ranged,
  hint,
  filterKey = "",
  children,
}: {
  kind: Kind<T>;
  preferences: Preferences;
  ranged: boolean;
  hint?: string;
  filterKey?: string;
  children?: ReactNode;
}) {
  const [range, setRange] = useState<RangeKey>("90d");
  const bounds = ranged ? rangeBounds(range, check.todayIn(preferences.timezone)) : {};
  const list = useLoad(() => kind.list(bounds), [kind.plural, range, filterKey]);
  const [announcement, setAnnouncement] = useState("");
  const [error, setError] = useState<string>();
  const [loadingMore, setLoadingMore] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = `${kind.plural}-heading`;
  const items = list.data?.items ?? [];

  async function more(cursor: string) {
    setLoadingMore(true);
    setError(undefined);
    try {
      const next = await kind.list({ ...bounds, cursor });
      list.setData((shown) => appendPage(shown, cursor, next));
    } catch (caught) {
      setError(failure(caught));
    } finally {
      setLoadingMore(false);
    }
  }

  const reload = () => {
    setAnnouncement(`Reloading ${kind.plural}.`);
    list.reload();
    heading.current?.focus();
  };

  return (
    <section aria-labelledby={headingId} className="card history">
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        Your {kind.plural}
      </h2>
      {hint ? <p className="muted">{hint}</p> : null}
      <div className="row compact filters">
        {ranged ? (
          <Field
            label="Range"
            name="range"
            required
            options={RANGES.map((option) => ({ value: option.key, label: option.label }))}
            value={range}
            onChange={(value) => setRange(value as RangeKey)}
          />
        ) : null}
        {children}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <Alert message={list.error ?? error} />
      {list.loading ? <Loading what={kind.plural} /> : null}
      {list.data && items.length === 0 ? <p className="muted">No {kind.plural} here.</p> : null}
      <ul className="plain entries" aria-labelledby={headingId}>
        {items.map((item) => (
          <Entry
            key={item.id}
            kind={kind}
            item={item}
            onSaved={(saved) => {
              list.setData((shown) => replaced(shown, saved));
              setAnnouncement(`The ${kind.name(saved)} is saved.`);
            }}
            onDeleted={() => {
              list.setData((shown) => without(shown, item.id));
              setAnnouncement(`The ${kind.name(item)} is deleted.`);
              heading.current?.focus();
            }}
            onReload={reload}
          />
        ))}
      </ul>
      {list.data?.next_cursor ? (
        <button
          type="button"
          className="secondary"
          disabled={loadingMore}
          aria-busy={loadingMore || undefined}
          onClick={() => list.data?.next_cursor && void more(list.data.next_cursor)}
        >
          Load more {kind.plural}
        </button>
      ) : null}
    </section>
  );
}

type Mode = "view" | "edit" | "confirm";

function Entry<T extends { id: string; version: number }>({
  kind,
  item,
  onSaved,
  onDeleted,
  onReload,
}: {
  kind: Kind<T>;
  item: T;
  onSaved: (item: T) => void;
  onDeleted: () => void;
  onReload: () => void;
}) {
  const [mode, setMode] = useState<Mode>("view");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const initial = kind.initial(item);
  const form = useForm<Values>(initial);
  const editButton = useRef<HTMLButtonElement>(null);
  // Asked to confirm, the safe answer has the focus: Enter there keeps the entry.
  const keepButton = useRef<HTMLButtonElement>(null);
  const name = kind.name(item);
  const focusNext = useRef<"edit" | "confirm" | "first-field" | null>(null);

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target === "edit") editButton.current?.focus();
    else if (target === "confirm") keepButton.current?.focus();
    else if (target === "first-field") form.formRef.current?.querySelector<HTMLElement>("input, select")?.focus();
  }, [mode, form.formRef]);

  const { conflict, setConflict, save, refused } = useVersionedEdit(item.version, () => {
    setError(undefined);
    setMode("view");
  });

  const to = (next: Mode, focus: typeof focusNext.current) => {
    focusNext.current = focus;
    setMode(next);
  };

  const conflictAlert = <ConflictAlert what={kind.plural} onReload={onReload} />;

  if (mode === "edit") {
    return (
      <li className="entry editing" data-testid="entry">
        <form
          ref={form.formRef}
          noValidate
          aria-label={`Edit the ${name}`}
          onSubmit={(event) => {
            event.preventDefault();
            setConflict(false);
            let saved: T | undefined;
            void form
              .submit(
                kind.validate,
                async (values) => {
                  const pending = kind.patch(item, values, initial);
                  if (!pending) return;
                  saved = await save(() => pending);
                },
                kind.fieldMap,
              )
              .then((ok) => {
                if (!ok) return;
                if (saved) onSaved(saved);
                to("view", "edit");
              });
          }}
        >
          {conflict ? conflictAlert : <Alert message={form.formError} />}
          {kind.fields(form)}
          <div className="row compact">
            <Submit busy={form.busy}>Save</Submit>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                form.setValues(initial);
                form.setErrors({});
                form.setFormError(undefined);
                setConflict(false);
                to("view", "edit");
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      </li>
    );
  }

  return (
    <li className="entry" data-testid="entry">
      <p className="grow">{kind.show(item)}</p>
      {conflict ? conflictAlert : <Alert message={error} />}
      {mode === "confirm" ? (
        <div className="row compact confirm" role="group" aria-label={`Delete the ${name}?`}>
          <span>Delete the {name}? This cannot be undone.</span>
          <button
            type="button"
            className="danger"
            disabled={busy}
            aria-busy={busy || undefined}
            onClick={() => {
              setBusy(true);
              setError(undefined);
              setConflict(false);
              kind
                .remove(item)
                .then(onDeleted, (caught: unknown) => {
                  setError(refused(caught, failure));
                  to("view", "edit");
                })
                .finally(() => setBusy(false));
            }}
          >
            Delete<span className="visually-hidden"> the {name}</span>
          </button>
          <button ref={keepButton} type="button" className="secondary" onClick={() => to("view", "edit")}>
            Keep<span className="visually-hidden"> the {name}</span>
          </button>
        </div>
      ) : (
        <div className="row compact">
          <button
            ref={editButton}
            type="button"
            className="secondary"
            onClick={() => {
              form.setValues(initial);
              setError(undefined);
              to("edit", "first-field");
            }}
          >
            Edit<span className="visually-hidden"> the {name}</span>
          </button>
          <button type="button" className="secondary" onClick={() => to("confirm", "confirm")}>
            Delete<span className="visually-hidden"> the {name}</span>
          </button>
        </div>
      )}
    </li>
  );
}
