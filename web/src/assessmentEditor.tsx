// For a business's admins: the assessments the business offers, written and edited here
// (questions of four types, their scoring as the API defines it), with each error beside its
// field, the page's and the API's alike (assessmentDraft.ts keys both by the API's paths).

import { useRef, useState } from "react";
import { Api, ApiError } from "./api";
import {
  MAX_CHOICES,
  MAX_QUESTIONS,
  QUESTION_TYPES,
  newDraft,
  newQuestion,
  toBody,
  toDraft,
  type AssessmentDraft,
  type DraftErrors,
  type QuestionDraft,
} from "./assessmentDraft";
import type { Assessment } from "./types";
import { ActionButton, Alert, Field, Loading, Submit, useLoad } from "./ui";

const TYPE_LABELS = [
  { value: "integer", label: "Whole number" },
  { value: "number", label: "Number (decimals)" },
  { value: "choice", label: "Choice" },
  { value: "boolean", label: "Yes or no" },
] satisfies { value: (typeof QUESTION_TYPES)[number]; label: string }[];

export function AssessmentsAdmin({ api }: { api: Api }) {
  const list = useLoad(() => api.call((client) => client.GET("/assessments", { params: { query: { limit: 50 } } })), [api]);
  const [editing, setEditing] = useState<{ assessment: Assessment | null; key: number }>();
  const own = (list.data?.items ?? []).filter((assessment) => !assessment.built_in);
  return (
    <section className="card" aria-labelledby="assessments-admin-heading">
      <h2 id="assessments-admin-heading">Assessments you offer</h2>
      <p className="muted">Members take them under Programs; the score sets the level of the program each one gets.</p>
      <Alert message={list.error} />
      {list.loading ? <Loading what="assessments" /> : null}
      {list.data && own.length === 0 ? <p className="muted">Only the built-in assessment so far.</p> : null}
      <ul className="plain-list">
        {own.map((assessment) => (
          <li key={assessment.id} className="row">
            <span>{assessment.title}</span>
            <button type="button" className="secondary" onClick={() => setEditing({ assessment, key: Date.now() })}>
              Edit<span className="visually-hidden"> {assessment.title}</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="secondary" onClick={() => setEditing({ assessment: null, key: Date.now() })}>
        Write a new assessment
      </button>
      {editing ? (
        <Editor
          key={editing.key}
          api={api}
          assessment={editing.assessment}
          onSaved={(saved) => {
            list.reload();
            setEditing({ assessment: saved, key: editing.key });
          }}
          onReloaded={(fresh) => setEditing({ assessment: fresh, key: Date.now() })}
          onDeleted={() => {
            list.reload();
            setEditing(undefined);
          }}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
    </section>
  );
}

function Editor(props: {
  api: Api;
  assessment: Assessment | null;
  onSaved: (saved: Assessment) => void;
  /** Read again after a 412: the editor starts over from the stored version. */
  onReloaded: (fresh: Assessment) => void;
  onDeleted: () => void;
  onClose: () => void;
}) {
  const { api, assessment } = props;
  const [draft, setDraft] = useState<AssessmentDraft>(() => (assessment ? toDraft(assessment) : newDraft()));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [formError, setFormError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const focusFirstError = () => window.setTimeout(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus(), 0);
  const setQuestion = (index: number, change: Partial<QuestionDraft>) =>
    setDraft((current) => ({ ...current, questions: current.questions.map((question, at) => (at === index ? { ...question, ...change } : question)) }));
  // A field's error goes once the field is changed.
  const clear = (path: string) => setErrors(({ [path]: _gone, ...rest }) => rest);

  async function save() {
    setFormError(undefined);
    setSaved(undefined);
    const { body, errors: found } = toBody(draft);
    setErrors(found);
    if (Object.keys(found).length) {
      setFormError("Some fields need a change: see the messages beside them.");
      focusFirstError();
      return;
    }
    setBusy(true);
    try {
      const result = assessment
        ? await api.call((client) =>
            client.PATCH("/assessments/{assessment_id}", {
              params: { path: { assessment_id: assessment.id }, header: { "If-Match": String(assessment.version) } },
              body,
            }),
          )
        : await api.call((client) => client.POST("/assessments", { body }));
      setSaved(assessment ? "Saved. Members who take it from now on are scored with this version." : "Created. Members find it under Programs.");
      props.onSaved(result);
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      if (caught.status === 412) {
        setStale(true);
        setFormError("Someone changed this assessment since you opened it. Reload it to see their version (your changes here are not saved).");
        return;
      }
      const placed = Object.fromEntries(Object.entries(caught.fields).filter(([path]) => path !== "_" && path !== "_schema"));
      setErrors(placed);
      const unplaced = Object.entries(caught.fields).filter(([path]) => path === "_" || path === "_schema");
      setFormError([caught.message, ...unplaced.map(([, message]) => message)].join(" "));
      if (Object.keys(placed).length) focusFirstError();
    } finally {
      setBusy(false);
    }
  }

  /** Deleted with If-Match: submissions and programs made from it stay; a 412 is explained. */
  async function remove() {
    if (!assessment) return;
    try {
      await api.call((client) =>
        client.DELETE("/assessments/{assessment_id}", {
          params: { path: { assessment_id: assessment.id }, header: { "If-Match": String(assessment.version) } },
        }),
      );
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) {
        setConfirming(false);
        setStale(true);
        throw new ApiError(412, caught.code, "Someone changed this assessment since you opened it. Reload it before deleting it.");
      }
      throw caught;
    }
    props.onDeleted();
  }

  async function reload() {
    if (!assessment) return;
    const fresh = await api.call((client) => client.GET("/assessments", { params: { query: { limit: 50 } } }));
    const found = fresh.items.find((item) => item.id === assessment.id);
    if (!found) throw new ApiError(404, "not_found", "This assessment was deleted meanwhile.");
    props.onReloaded(found);
  }

  const title = assessment ? `Edit "${assessment.title}"` : "New assessment";
  return (
    <form
      ref={formRef}
      noValidate
      className="stack assessment-editor"
      aria-labelledby="assessment-editor-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h3 id="assessment-editor-heading">{title}</h3>
      <Alert message={formError} />
      {stale ? (
        <ActionButton action={reload} onError={setFormError}>
          Reload the assessment
        </ActionButton>
      ) : null}
      <Alert tone="info" message={saved} />
      <Field label="Title" name="title" required value={draft.title} error={errors.title} onChange={(title) => (setDraft({ ...draft, title }), clear("title"))} />
      <Field
        label="Description"
        name="description"
        multiline
        value={draft.description}
        error={errors.description}
        onChange={(description) => (setDraft({ ...draft, description }), clear("description"))}
      />
      {errors.questions ? (
        <p className="error" role="alert" data-error-for="questions">
          {errors.questions}
        </p>
      ) : null}
      {draft.questions.map((question, index) => (
        <QuestionEditor
          key={index}
          index={index}
          question={question}
          errors={errors}
          count={draft.questions.length}
          onChange={(change, path) => (setQuestion(index, change), clear(path))}
          onRemove={() => setDraft({ ...draft, questions: draft.questions.filter((_, at) => at !== index) })}
        />
      ))}
      <div className="row">
        {draft.questions.length < MAX_QUESTIONS ? (
          <button type="button" className="secondary" onClick={() => setDraft({ ...draft, questions: [...draft.questions, newQuestion(draft.questions.length)] })}>
            Add a question
          </button>
        ) : null}
        <Submit busy={busy}>{assessment ? "Save the assessment" : "Create the assessment"}</Submit>
        <button type="button" className="secondary" onClick={props.onClose}>
          Close
        </button>
        {assessment && !confirming ? (
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            Delete the assessment
          </button>
        ) : null}
      </div>
      {assessment && confirming ? (
        <div className="row" role="group" aria-label="Confirm the deletion">
          <p>Members can no longer take it; the answers and programs made from it stay theirs.</p>
          <ActionButton action={remove} onError={setFormError}>
            Yes, delete the assessment
          </ActionButton>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : null}
    </form>
  );
}

function QuestionEditor(props: {
  index: number;
  question: QuestionDraft;
  errors: DraftErrors;
  count: number;
  onChange: (change: Partial<QuestionDraft>, path: string) => void;
  onRemove: () => void;
}) {
  const { index, question, errors, onChange } = props;
  const at = `questions.${index}`;
  const field = (name: keyof QuestionDraft & string, label: string, hint?: string, required = true) => (
    <Field
      label={label}
      name={`${at}.${name}`}
      hint={hint}
      required={required}
      inputMode={name === "id" || name === "prompt" ? undefined : "decimal"}
      value={String(question[name])}
      error={errors[`${at}.${name}`]}
      onChange={(value) => onChange({ [name]: value }, `${at}.${name}`)}
    />
  );
  const setChoice = (choice: number, change: Partial<QuestionDraft["choices"][number]>, path: string) =>
    onChange({ choices: question.choices.map((item, i) => (i === choice ? { ...item, ...change } : item)) }, path);
  return (
    <fieldset className="card question-editor" data-testid="question-editor">
      <legend>Question {index + 1}</legend>
      {field("prompt", "Question")}
      <div className="row">
        {field("id", "Id", "Saved with the answers: lower-case letters, digits and _.")}
        <Field
          label="Type"
          name={`${at}.type`}
          required
          options={TYPE_LABELS}
          value={question.type}
          error={errors[`${at}.type`]}
          onChange={(value) => onChange({ type: value as QuestionDraft["type"] }, `${at}.type`)}
        />
        {field("weight", "Weight", "0 to 10: its share of the score.")}
      </div>
      <label className="switch">
        <input type="checkbox" checked={question.required} onChange={(event) => onChange({ required: event.target.checked }, `${at}.required`)} />
        Required
      </label>
      {question.type === "integer" || question.type === "number" ? (
        <>
          <div className="row">
            {field("min", "Lowest answer")}
            {field("max", "Highest answer")}
          </div>
          <div className="row">
            {field("zero_at", "Answer worth 0 points", "Empty: the lowest answer.", false)}
            {field("full_at", "Answer worth full points", "Empty: the highest answer. Lower than the 0-points answer: less is better.", false)}
          </div>
        </>
      ) : null}
      {question.type === "boolean" ? (
        <div className="row">
          {field("true_points", "Points for yes", "0 to 100.")}
          {field("false_points", "Points for no", "0 to 100.")}
        </div>
      ) : null}
      {question.type === "choice" ? (
        <div className="stack">
          {errors[`${at}.choices`] ? (
            <p className="error" data-error-for={`${at}.choices`}>
              {errors[`${at}.choices`]}
            </p>
          ) : null}
          {question.choices.map((choice, number) => {
            const where = `${at}.choices.${number}`;
            return (
              <fieldset key={number} className="row compact choice-editor">
                <legend>
                  Answer {number + 1} of question {index + 1}
                </legend>
                <Field label="Label" name={`${where}.label`} required value={choice.label} error={errors[`${where}.label`]} onChange={(label) => setChoice(number, { label }, `${where}.label`)} />
                <Field label="Value" name={`${where}.value`} required value={choice.value} error={errors[`${where}.value`]} onChange={(value) => setChoice(number, { value }, `${where}.value`)} />
                <Field
                  label="Points"
                  name={`${where}.points`}
                  required
                  inputMode="numeric"
                  value={choice.points}
                  error={errors[`${where}.points`]}
                  onChange={(points) => setChoice(number, { points }, `${where}.points`)}
                />
                {question.choices.length > 2 ? (
                  <button type="button" className="secondary" onClick={() => onChange({ choices: question.choices.filter((_, i) => i !== number) }, `${at}.choices`)}>
                    Remove<span className="visually-hidden"> answer {number + 1} of question {index + 1}</span>
                  </button>
                ) : null}
              </fieldset>
            );
          })}
          {question.choices.length < MAX_CHOICES ? (
            <button type="button" className="secondary" onClick={() => onChange({ choices: [...question.choices, { value: "", label: "", points: "0" }] }, `${at}.choices`)}>
              Add an answer<span className="visually-hidden"> to question {index + 1}</span>
            </button>
          ) : null}
        </div>
      ) : null}
      {props.count > 1 ? (
        <button type="button" className="secondary" onClick={props.onRemove}>
          Remove question {index + 1}
        </button>
      ) : null}
    </fieldset>
  );
}
