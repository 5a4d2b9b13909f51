// Assessments to a program: take one of the tenant's assessments, see the score, level and the
// four-week program it makes, mark sessions done (with a logged workout, or logging one), play
// an exercise's library video, and share all of it with the business's coaches (or stop).

import { useState } from "react";
import { Api } from "./api";
import { formatDate } from "./dates";
import { withItem } from "./pages";
import type { Assessment, Program, Question, Sharing, Workout } from "./types";
import { ActionButton, Alert, Field, Link, Loading, RadioGroup, Submit, failure, useForm, useLoad } from "./ui";
import * as check from "./validation";

export function ProgramsPage({ api }: { api: Api }) {
  const programs = useLoad(() => api.call((client) => client.GET("/programs", { params: { query: { limit: 5 } } })), [api]);
  const [taking, setTaking] = useState<Assessment>();
  const [result, setResult] = useState<{ score: number; level: string }>();

  const latest = programs.data?.items[0];
  return (
    <main id="main" tabIndex={-1}>
      <h1>Programs</h1>
      <SharingSwitch api={api} />
      <Alert message={programs.error} />
      {programs.loading ? <Loading what="your programs" /> : null}
      {taking ? (
        <AssessmentForm
          key={taking.id}
          api={api}
          assessment={taking}
          onCancel={() => setTaking(undefined)}
          onDone={(submitted) => {
            setTaking(undefined);
            setResult({ score: submitted.score, level: submitted.program.level });
            programs.setData((current) => withItem(current, submitted.program, "first"));
          }}
        />
      ) : (
        <Assessments api={api} onTake={setTaking} first={programs.data?.items.length === 0} />
      )}
      {result ? (
        <section className="card result" aria-labelledby="result-heading" role="status">
          <h2 id="result-heading">Your result</h2>
          <p>
            Score <strong className="big" data-testid="score">{result.score}</strong> of 100
          </p>
          <p>
            Level <strong data-testid="level">{result.level}</strong>: your new program is below.
          </p>
        </section>
      ) : null}
      {latest ? (
        <ProgramView
          key={latest.id}
          api={api}
          program={latest}
          // Two sessions marked done in a row can answer in either order: the later version stays.
          onChange={(changed) =>
            programs.setData((current) => current && { ...current, items: current.items.map((item) => (item.id === changed.id && changed.version > item.version ? changed : item)) })
          }
        />
      ) : null}
    </main>
  );
}

function SharingSwitch({ api }: { api: Api }) {
  const sharing = useLoad(() => api.call((client) => client.GET("/me/sharing")), [api]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function toggle(on: boolean) {
    const before = sharing.data;
    setBusy(true);
    setError(undefined);
    if (before) sharing.setData({ ...before, coach_access: on }); // shown at once, taken back if refused
    try {
      const saved: Sharing = await api.call((client) => client.PUT("/me/sharing", { body: { coach_access: on } }));
      sharing.setData(saved);
    } catch (caught) {
      sharing.setData(before);
      setError(failure(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="sharing-heading">
      <h2 id="sharing-heading">Sharing with your coaches</h2>
      <Alert message={sharing.error ?? error} />
      {sharing.loading ? <Loading what="your sharing setting" /> : null}
      {sharing.data ? (
        <>
          <label className="switch">
            <input type="checkbox" checked={sharing.data.coach_access} disabled={busy} onChange={(event) => void toggle(event.target.checked)} />
            Let my business's coaches and admins see my assessments and programs
          </label>
          <p className="muted" data-testid="sharing-state" aria-live="polite">
            {busy ? "Saving… " : ""}
            {sharing.data.coach_access
              ? "Shared: your coaches can follow your assessments and programs."
              : "Not shared: only you see your assessments and programs."}
          </p>
        </>
      ) : null}
    </section>
  );
}

function Assessments({ api, onTake, first }: { api: Api; onTake: (assessment: Assessment) => void; first: boolean }) {
  const assessments = useLoad(() => api.call((client) => client.GET("/assessments")), [api]);
  return (
    <section className="card" aria-labelledby="assessments-heading">
      <h2 id="assessments-heading">Assessments</h2>
      {first ? <p>Take an assessment: it scores your fitness and builds a four-week program for your level.</p> : null}
      <Alert message={assessments.error} />
      {assessments.loading ? <Loading what="assessments" /> : null}
      {assessments.data?.items.length === 0 ? <p className="muted">Your business offers no assessment yet.</p> : null}
      <ul className="plain">
        {assessments.data?.items.map((assessment) => (
          <li key={assessment.id} className="row compact">
            <span className="grow">
              <strong>{assessment.title}</strong>
              <br />
              <span className="muted">
                {assessment.description ? `${assessment.description} ` : ""}
                {assessment.questions.length} questions.
              </span>
            </span>
            <button type="button" className="secondary" onClick={() => onTake(assessment)}>
              Take<span className="visually-hidden"> {assessment.title}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

const YES_NO = [
  { value: "true", label: "Yes" },
  { value: "false", label: "No" },
] as const;

function AssessmentForm(props: {
  api: Api;
  assessment: Assessment;
  onCancel: () => void;
  onDone: (result: { score: number; program: Program }) => void;
}) {
  const { api, assessment } = props;
  const questions = assessment.questions;
  const form = useForm<Record<string, string>>(Object.fromEntries(questions.map((question) => [question.id, ""])));
  const fieldMap = Object.fromEntries(questions.map((question) => [`answers.${question.id}`, question.id]));

  return (
    <section className="card" aria-labelledby="take-heading">
      <h2 id="take-heading">{assessment.title}</h2>
      {assessment.description ? <p className="muted">{assessment.description}</p> : null}
      <form
        ref={form.formRef}
        noValidate
        aria-labelledby="take-heading"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(
            (values) => check.answers(questions, values).errors,
            async (values) => {
              const body = { answers: check.answers(questions, values).answers };
              const path = { assessment_id: assessment.id };
              props.onDone(await api.call((client) => client.POST("/assessments/{assessment_id}/submissions", { params: { path }, body })));
            },
            fieldMap,
          );
        }}
      >
        <Alert message={form.formError} />
        {questions.map((question) => (
          <QuestionField key={question.id} question={question} value={form.values[question.id]} onChange={form.set(question.id)} error={form.errors[question.id]} />
        ))}
        <div className="row compact">
          <Submit busy={form.busy}>See my program</Submit>
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

function QuestionField({ question, value, onChange, error }: { question: Question; value: string; onChange: (value: string) => void; error?: string }) {
  const common = { name: question.id, value, onChange, error, required: question.required };
  if (question.type === "choice") {
    return <RadioGroup legend={question.prompt} options={question.choices ?? []} {...common} />;
  }
  if (question.type === "boolean") {
    return <RadioGroup legend={question.prompt} options={YES_NO} {...common} />;
  }
  const range = question.min !== undefined && question.max !== undefined ? `From ${question.min} to ${question.max}.` : undefined;
  const hint = question.type === "integer" ? `A whole number. ${range ?? ""}` : `A number, up to 3 decimals. ${range ?? ""}`;
  return <Field label={question.prompt} hint={hint.trim()} inputMode={question.type === "integer" ? "numeric" : "decimal"} {...common} />;
}

function ProgramView({ api, program, onChange }: { api: Api; program: Program; onChange: (program: Program) => void }) {
  const workouts = useLoad(() => api.call((client) => client.GET("/workouts", { params: { query: { limit: 10 } } })), [api, program.version]);
  const [error, setError] = useState<string>();
  const sessions = program.weeks.flatMap((week) => week.sessions);
  const done = sessions.filter((session) => session.completed_at).length;
  // Sessions are done in order (the API answers 409 session_out_of_order otherwise): only the next one has the form.
  const next = sessions.find((session) => !session.completed_at)?.number;
  const linked = new Set(sessions.map((session) => session.workout_id).filter(Boolean));
  const free = (workouts.data?.items ?? []).filter((workout) => !linked.has(workout.id));

  return (
    <section className="card" aria-labelledby="program-heading">
      <h2 id="program-heading">{program.title}</h2>
      <p>
        {program.weeks_count} weeks, {program.sessions_per_week} sessions a week, level {program.level}.{" "}
        <strong data-testid="sessions-done">
          {done} of {sessions.length} sessions done
        </strong>
      </p>
      <progress max={sessions.length} value={done} aria-label="Sessions done" />
      <Alert message={error ?? workouts.error} />
      {program.weeks.map((week) => (
        // One week open at a time (the first with a session left): on a phone the whole program
        // was ~6,500 px tall. The others are a line each, opened with a tap.
        <details key={week.number} className="week" open={week.number === currentWeek(program)} data-testid="week">
          <summary>
            <h3 id={`week-${week.number}`}>Week {week.number}</h3>{" "}
            <span className="muted">
              {week.sessions.filter((session) => session.completed_at).length} of {week.sessions.length} done
            </span>
          </summary>
          <ol className="sessions">
            {week.sessions.map((session) => (
              <li key={session.number} className={session.completed_at ? "session done" : "session"} data-testid="session">
                <h4>
                  {session.title}
                </h4>
                <ul className="exercises">
                  {session.exercises.map((exercise) => (
                    <li key={exercise.slug}>
                      <span>
                        {exercise.name}: {exercise.sets} × {exercise.reps}, rest {exercise.rest_s} s
                      </span>
                      {exercise.video_id ? (
                        <Link to={`/videos/${exercise.video_id}`} className="button secondary">
                          Play<span className="visually-hidden"> the video of {exercise.name}</span>
                        </Link>
                      ) : null}
                    </li>
                  ))}
                </ul>
                {session.completed_at ? (
                  <p className="muted">Done on {formatDate(session.completed_at)}</p>
                ) : session.number !== next ? (
                  <p className="muted" data-testid="session-later">
                    After session {next}
                  </p>
                ) : (
                  <CompleteSession api={api} program={program} number={session.number} workouts={free} onDone={onChange} onError={setError} />
                )}
              </li>
            ))}
          </ol>
        </details>
      ))}
    </section>
  );
}

/** The week to show open: the first with a session not yet done (the last when all are). */
export function currentWeek(program: { weeks: { number: number; sessions: { completed_at?: string | null }[] }[] }): number | undefined {
  const open = program.weeks.find((week) => week.sessions.some((session) => !session.completed_at));
  return (open ?? program.weeks[program.weeks.length - 1])?.number;
}

const NEW_WORKOUT = "new";

function CompleteSession(props: { api: Api; program: Program; number: number; workouts: Workout[]; onDone: (program: Program) => void; onError: (message?: string) => void }) {
  const [choice, setChoice] = useState(NEW_WORKOUT);
  const options = [
    { value: NEW_WORKOUT, label: "Log it as a new workout" },
    ...props.workouts.map((workout) => ({ value: workout.id, label: `${workout.title} (${workout.started_at.slice(0, 10)})` })),
  ];
  return (
    <div className="stack">
      <Field label={`Workout for session ${props.number}`} name={`workout-${props.number}`} required options={options} value={choice} onChange={setChoice} />
      <ActionButton
        onError={props.onError}
        action={async () => {
          const path = { program_id: props.program.id, number: String(props.number) };
          const body = choice === NEW_WORKOUT ? {} : { workout_id: choice };
          props.onDone(await props.api.call((client) => client.POST("/programs/{program_id}/sessions/{number}/complete", { params: { path }, body })));
        }}
      >
        Mark session {props.number} done
      </ActionButton>
    </div>
  );
}
