// Small building blocks: a history router, labelled fields with their errors, a form hook that
// shows the API's field errors beside the fields they name.

import { useCallback, useEffect, useId, useRef, useState, type ReactNode, type SetStateAction } from "react";
import { ApiError, type FieldErrors } from "./api";
import { Freshness } from "./freshness";
import { errorsAfterEdit } from "./formErrors";
import type { Reachability } from "./reachability";

// --- routing -------------------------------------------------------------------------------

export function navigate(path: string): void {
  if (window.location.pathname + window.location.search === path) return;
  window.history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener("popstate", update);
    return () => window.removeEventListener("popstate", update);
  }, []);
  return path;
}

/** `section`: the link is the current page anywhere under this path (History's tabs). */
export function Link({ to, children, className, section }: { to: string; children: ReactNode; className?: string; section?: string }) {
  const path = usePath();
  const current = path === to || (section !== undefined && (path === section || path.startsWith(`${section}/`)));
  return (
    <a
      href={to}
      className={className}
      aria-current={current ? "page" : undefined}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

// --- fields --------------------------------------------------------------------------------

interface FieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  type?: string;
  autoComplete?: string;
  inputMode?: "decimal" | "numeric" | "email" | "text";
  options?: readonly (string | { value: string; label: string })[];
  multiline?: boolean;
  required?: boolean;
}

export function Field(props: FieldProps) {
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: props.name,
    value: props.value,
    "aria-invalid": props.error ? true : undefined,
    "aria-describedby": describedBy,
    "aria-required": props.required || undefined,
  };
  let control: ReactNode;
  if (props.options) {
    control = (
      <select {...common} onChange={(event) => props.onChange(event.target.value)}>
        {props.options.map((option) => {
          const { value, label } = typeof option === "string" ? { value: option, label: option } : option;
          return (
            <option key={value} value={value}>
              {label}
            </option>
          );
        })}
      </select>
    );
  } else if (props.multiline) {
    control = <textarea {...common} rows={3} onChange={(event) => props.onChange(event.target.value)} />;
  } else {
    control = (
      <input
        {...common}
        type={props.type ?? "text"}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        onChange={(event) => props.onChange(event.target.value)}
      />
    );
  }
  return (
    <div className={props.error ? "field field-invalid" : "field"} data-field={props.name}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? null : <span className="optional"> (optional)</span>}
      </label>
      {props.hint ? (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {control}
      {props.error ? (
        <p className="error" id={`${id}-error`} data-error-for={props.name}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function Alert({ message, tone = "error" }: { message?: string; tone?: "error" | "info" }) {
  if (!message) return null;
  return (
    <p className={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"}>
      {message}
    </p>
  );
}

// --- forms ---------------------------------------------------------------------------------

/** Maps the API's error paths ("weight.value") to this form's field names ("value"). */
export type FieldMap = Record<string, string>;

export function useForm<V extends Record<string, string>>(initial: V) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  // The last check the form ran, and the values as rendered: an edited field's error is checked again.
  const validator = useRef<(values: V) => FieldErrors>(undefined);
  const latest = useRef(values);
  latest.current = values;

  const set = useCallback(
    (name: keyof V) => (value: string) => {
      const next = { ...latest.current, [name]: value };
      latest.current = next;
      setValues(next);
      setErrors((current) => errorsAfterEdit(current, name as keyof V & string, next, validator.current));
    },
    [],
  );

  const focusFirstError = () =>
    window.setTimeout(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus(), 0);

  async function submit(
    validate: (values: V) => FieldErrors,
    action: (values: V) => Promise<void>,
    fieldMap: FieldMap = {},
  ): Promise<boolean> {
    setFormError(undefined);
    validator.current = validate;
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length) {
      focusFirstError();
      return false;
    }
    setBusy(true);
    try {
      await action(values);
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const mapped: FieldErrors = {};
      const unplaced: string[] = [];
      for (const [path, message] of Object.entries(error.fields)) {
        const field = fieldMap[path] ?? (path in values ? path : fieldMap[path.split(".")[0]]);
        if (field && field in values) mapped[field] = mapped[field] ? `${mapped[field]} ${message}` : message;
        else unplaced.push(path === "_" || path === "_schema" ? message : `${path}: ${message}`);
      }
      setErrors(mapped);
      if (!Object.keys(mapped).length || unplaced.length) {
        setFormError(unplaced.length ? `${error.message} ${unplaced.join(" ")}` : error.message);
      }
      if (Object.keys(mapped).length) focusFirstError();
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { values, setValues, set, errors, setErrors, formError, setFormError, busy, submit, formRef };
}

export function Submit({ busy, children }: { busy: boolean; children: ReactNode }) {
  return (
    <button type="submit" className="primary" disabled={busy} aria-busy={busy || undefined}>
      {busy ? "Saving…" : children}
    </button>
  );
}

// --- loading and actions -------------------------------------------------------------------

/** The message to show for a failed call; a 401 has already signed the user out (none). */
export function failure(caught: unknown): string | undefined {
  if (caught instanceof ApiError) return caught.status === 401 ? undefined : caught.message;
  throw caught;
}

/** Data loaded once (and again on `reload`): the loading, error and loaded states in one place. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [data, setLoaded] = useState<T>();
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);
  const [freshness] = useState(() => new Freshness());
  useEffect(() => {
    const ticket = freshness.begin();
    load().then(
      (loaded) => {
        const verdict = freshness.verdict(ticket);
        // A change shown while this load was on its way may be missing from its answer: ask again.
        if (verdict === "again") setVersion((current) => current + 1);
        if (verdict !== "show") return;
        setLoaded(loaded);
        setError(undefined);
      },
      (caught: unknown) => freshness.verdict(ticket) !== "superseded" && setError(failure(caught)),
    );
  }, [...deps, version]);
  const setData = useCallback(
    (change: SetStateAction<T | undefined>) => {
      freshness.edited();
      setLoaded(change);
    },
    [freshness],
  );
  const reload = useCallback(() => setVersion((current) => current + 1), []);
  return { data, setData, error, reload, loading: data === undefined && error === undefined };
}

/** A button running one action, busy while it runs; the API's refusal goes to `onError`. */
export function ActionButton({
  action,
  onError,
  children,
  className = "secondary",
}: {
  action: () => Promise<void>;
  onError: (message?: string) => void;
  children: ReactNode;
  className?: string;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={className}
      disabled={busy}
      aria-busy={busy || undefined}
      onClick={() => {
        setBusy(true);
        onError(undefined);
        action()
          .catch((caught: unknown) => onError(failure(caught)))
          .finally(() => setBusy(false));
      }}
    >
      {children}
    </button>
  );
}

/** A value shown once (an invitation code, a webhook secret), with a button that copies it. */
export function ShownOnce({ label, value, note }: { label: string; value: string; note: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="shown-once" role="status">
      <p>
        <strong>{label}</strong> <span className="muted">{note}</span>
      </p>
      <p className="row">
        <code data-testid="shown-once">{value}</code>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </p>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted loading" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** One choice of a few, as radio buttons in a fieldset whose legend is the question. */
export function RadioGroup(props: {
  legend: string;
  name: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
  error?: string;
  required?: boolean;
}) {
  const id = useId();
  return (
    <fieldset
      className={props.error ? "field radios field-invalid" : "field radios"}
      data-field={props.name}
      aria-describedby={props.error ? `${id}-error` : undefined}
      aria-invalid={props.error ? true : undefined}
    >
      <legend>
        {props.legend}
        {props.required ? null : <span className="optional"> (optional)</span>}
      </legend>
      {props.options.map((option) => (
        <label key={option.value} className="radio">
          <input
            type="radio"
            name={`${id}-${props.name}`}
            value={option.value}
            checked={props.value === option.value}
            onChange={() => props.onChange(option.value)}
          />{" "}
          {option.label}
        </label>
      ))}
      {props.error ? (
        <p className="error" id={`${id}-error`} data-error-for={props.name}>
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Whether the browser says it is online (it changes with the connection). Read again once
 * the listeners are in place: a change between the first render and then is not lost. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    update();
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return online;
}

/** Whether the API answers (src/reachability.ts); the browser's "online" asks it to look again. */
export function useReachable(connection: Reachability): boolean {
  const [reachable, setReachable] = useState(connection.reachable);
  useEffect(() => {
    const retry = () => connection.retry();
    window.addEventListener("online", retry);
    const stop = connection.onChange(setReachable);
    setReachable(connection.reachable);
    return () => {
      window.removeEventListener("online", retry);
      stop();
    };
  }, [connection]);
  return reachable;
}

/** Offline, or the API cannot be reached although the browser says it is online: either way the
 * person is told, and told that Stride carries on by itself. */
export function OfflineBanner({ online, reachable }: { online: boolean; reachable: boolean }) {
  if (online && reachable) return null;
  return (
    <p className="offline" role="status" data-testid="offline">
      {online ? "Stride cannot be reached right now." : "You are offline."} What you see may be out of date; Stride carries
      on when the connection is back.
    </p>
  );
}

/** The frame of every public /auth screen (auth.tsx, authScreens.tsx). */
export function AuthPage({ title, children, intro }: { title: string; intro?: string; children: ReactNode }) {
  return (
    <main id="main" className="auth-page" tabIndex={-1}>
      <div className="card auth-card">
        <h1>{title}</h1>
        {intro ? <p>{intro}</p> : null}
        {children}
      </div>
    </main>
  );
}
