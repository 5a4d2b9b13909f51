// Your data: export, import (an export or a weights CSV), e-mail preferences, webhooks,
// two-step sign-in (TOTP) and deleting the account.

import { useState } from "react";
import QRCode from "qrcode";
import { Api, ApiError, flattenDetails } from "./api";
import { withItem } from "./pages";
import { PROOF_FIELDS, type ProofValues, confirmBody, confirmErrors, offBody, offErrors, statusText } from "./twostep";
import type { Preferences, PreferencesInput, Webhook } from "./types";
import { WEBHOOK_EVENTS } from "./types";
import { ActionButton, Alert, Field, Loading, ShownOnce, Submit, failure, useForm, useLoad } from "./ui";
import * as check from "./validation";

export function DataPage({ api, preferences, onPreferences }: { api: Api; preferences: Preferences; onPreferences: (p: Preferences) => void }) {
  return (
    <main id="main" tabIndex={-1}>
      <h1>Your data</h1>
      <div className="grid">
        <ExportSection api={api} />
        <ImportSection api={api} />
        <EmailSection api={api} preferences={preferences} onSaved={onPreferences} />
        <TwoStepSection api={api} />
      </div>
      <WebhooksSection api={api} />
      <DeleteSection api={api} />
    </main>
  );
}

function ExportSection({ api }: { api: Api }) {
  const [link, setLink] = useState<{ href: string; name: string; large: boolean }>();
  const [error, setError] = useState<string>();
  return (
    <section className="card" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p className="muted">Everything you own, as one JSON document: profile, weights, workouts, tasks, posts, programs and more.</p>
      <Alert message={error} />
      <ActionButton
        className="primary"
        onError={setError}
        action={async () => {
          let exported = await api.call((client) => client.GET("/me/export"));
          // A large account's export is built in the background (202): poll its job until the link is there.
          while ("status" in exported && exported.status === "running") {
            const id = exported.id;
            await new Promise((resolve) => setTimeout(resolve, 2000));
            exported = await api.call((client) => client.GET("/me/export/jobs/{export_id}", { params: { path: { export_id: id } } }));
          }
          const name = `stride-export-${exported.exported_at?.slice(0, 10) ?? "now"}.json`;
          if (exported.download_url) {
            setLink({ href: exported.download_url, name, large: true }); // a large export: a link to the file
          } else {
            if (link && !link.large) URL.revokeObjectURL(link.href);
            const blob = new Blob([JSON.stringify(exported, null, 2)], { type: "application/json" });
            setLink({ href: URL.createObjectURL(blob), name, large: false });
          }
        }}
      >
        Prepare my export
      </ActionButton>
      {link ? (
        <p role="status">
          <a href={link.href} download={link.name} data-testid="export-link">
            Download {link.name}
          </a>
          {link.large ? <span className="muted"> (a large export: the link works for a few minutes)</span> : null}
        </p>
      ) : null}
    </section>
  );
}

type ImportResult = { imported: Record<string, number | undefined>; skipped: Record<string, number | undefined> };

function ImportSection({ api }: { api: Api }) {
  const [result, setResult] = useState<ImportResult>();
  const [error, setError] = useState<{ message: string; records: [string, string][]; csv: boolean }>();
  const [busy, setBusy] = useState(false);

  async function send(file: File) {
    setResult(undefined);
    setError(undefined);
    const refused = check.importFile(file);
    if (refused) {
      setError({ message: refused, records: [], csv: false });
      return;
    }
    setBusy(true);
    const csv = file.name.toLowerCase().endsWith(".csv") || file.type === "text/csv";
    try {
      const text = await file.text();
      let document: unknown;
      if (!csv) {
        try {
          document = JSON.parse(text);
        } catch {
          throw new ApiError(400, "invalid_json", `${file.name} is not JSON: choose a Stride export (.json) or a weights CSV.`);
        }
      }
      let answer = await api.call((client) =>
        csv
          ? client.POST("/me/import", { body: text as never, bodySerializer: (body: unknown) => body as string, headers: { "Content-Type": "text/csv" } })
          : client.POST("/me/import", { body: document as never }),
      );
      // A large import is written in the background (202): poll its job until it is done or failed.
      while ("status" in answer && answer.status === "running") {
        const id = answer.id;
        await new Promise((resolve) => setTimeout(resolve, 2000));
        answer = await api.call((client) => client.GET("/me/import/jobs/{import_id}", { params: { path: { import_id: id } } }));
      }
      if ("status" in answer && answer.status === "failed") {
        const failed = answer.error;
        throw new ApiError(400, failed?.code ?? "import_failed", failed?.message ?? "The import failed: nothing of it was kept.", flattenDetails(failed?.details));
      }
      setResult({ imported: answer.imported ?? {}, skipped: answer.skipped ?? {} });
    } catch (caught) {
      const message = failure(caught);
      if (message) setError({ message, records: caught instanceof ApiError ? Object.entries(caught.fields) : [], csv });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="import-heading">
      <h2 id="import-heading">Import</h2>
      <p className="muted">
        A Stride export (.json), or weights as CSV with the header <code>date,weight,unit</code>. What is already here is skipped.
      </p>
      <div className="field">
        <label htmlFor="import-file">File to import</label>
        <input id="import-file" type="file" accept=".json,.csv,application/json,text/csv" disabled={busy} onChange={(event) => event.target.files?.[0] && void send(event.target.files[0])} />
      </div>
      {busy ? <Loading what="the import" /> : null}
      {error ? (
        <div className="alert alert-error" role="alert">
          <p>{error.message}</p>
          {error.records.length ? (
            <ul data-testid="import-errors">
              {error.records.map(([where, message]) => (
                <li key={where}>
                  <strong>{check.recordName(where, error.csv)}</strong>: {message}
                </li>
              ))}
            </ul>
          ) : null}
          <p>Nothing was imported: fix these and import the file again.</p>
        </div>
      ) : null}
      {result ? (
        <p className="alert alert-info" role="status" data-testid="import-result">
          Imported {counts(result.imported)}; skipped {counts(result.skipped)} already here.
        </p>
      ) : null}
    </section>
  );
}

function counts(domains: Record<string, number | undefined>): string {
  const parts = Object.entries(domains)
    .filter((entry): entry is [string, number] => typeof entry[1] === "number" && entry[1] > 0)
    .map(([name, count]) => `${count} ${count === 1 ? name.replace(/s$/, "") : name}`);
  return parts.length ? parts.join(", ") : "nothing";
}

function EmailSection({ api, preferences, onSaved }: { api: Api; preferences: Preferences; onSaved: (p: Preferences) => void }) {
  const [values, setValues] = useState(preferences.notifications);
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <section className="card" aria-labelledby="email-heading">
      <h2 id="email-heading">E-mails</h2>
      <form
        aria-labelledby="email-heading"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setSaved(undefined);
          setError(undefined);
          // PUT replaces the document: everything else is sent back as it was.
          const { units, timezone, weekly_workout_goal, week_starts_on, privacy } = preferences;
          const body: PreferencesInput = { units, timezone, weekly_workout_goal, week_starts_on, privacy, notifications: values };
          api
            .call((client) => client.PUT("/me/preferences", { body }))
            .then((stored) => {
              onSaved(stored);
              setSaved("E-mail preferences saved.");
            }, (caught: unknown) => setError(failure(caught)))
            .finally(() => setBusy(false));
        }}
      >
        <Alert message={error} />
        <Alert tone="info" message={saved} />
        <label className="switch">
          <input type="checkbox" checked={values.email_reminders} onChange={(event) => setValues({ ...values, email_reminders: event.target.checked })} />
          Reminders for tasks that are due
        </label>
        <label className="switch">
          <input type="checkbox" checked={values.weekly_summary} onChange={(event) => setValues({ ...values, weekly_summary: event.target.checked })} />
          A weekly summary of my progress
        </label>
        <Submit busy={busy}>Save e-mail preferences</Submit>
      </form>
    </section>
  );
}

export function TwoStepSection({ api }: { api: Api }) {
  const status = useLoad(() => api.call((client) => client.GET("/auth/mfa")), [api]);
  const enabled = status.data?.enabled;
  const [enrolment, setEnrolment] = useState<{ uri: string; secret: string; modules: boolean[][] }>();
  const [state, setState] = useState<string>();
  const [error, setError] = useState<string>();
  const empty: ProofValues = { code: "", password: "", current: "" };
  const verify = useForm(empty);
  const off = useForm(empty);

  return (
    <section className="card" aria-labelledby="mfa-heading">
      <h2 id="mfa-heading">Two-step sign-in</h2>
      <p className="muted">With it on, signing in asks for a code from an authenticator app as well as your password.</p>
      <p data-testid="mfa-status" aria-live="polite">
        <strong>{statusText(enabled)}</strong>
      </p>
      <Alert message={error ?? status.error} />
      <Alert tone="info" message={state} />
      {enrolment ? (
        <>
          <p>Scan this code with your authenticator app, or type the key into it.</p>
          <QrCode modules={enrolment.modules} label="QR code for your authenticator app" />
          <p>
            Key: <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <form
            ref={verify.formRef}
            noValidate
            aria-label="Confirm two-step sign-in"
            onSubmit={(event) => {
              event.preventDefault();
              void verify.submit(
                (values) => confirmErrors(Boolean(enabled), values),
                async (values) => {
                  const access_token = await api.accessToken();
                  await api.call((client) => client.POST("/auth/mfa/totp/verify", { body: confirmBody(access_token, Boolean(enabled), values) }));
                  setEnrolment(undefined);
                  verify.setValues(empty);
                  setState(enabled ? "Your new authenticator app is the one that signs you in now." : "Two-step sign-in is on: your next sign-in asks for a code.");
                  status.setData({ enabled: true });
                },
                PROOF_FIELDS,
              );
            }}
          >
            <Alert message={verify.formError} />
            <Field label="Code from the new app" name="code" required inputMode="numeric" autoComplete="one-time-code" value={verify.values.code} onChange={verify.set("code")} error={verify.errors.code} />
            {enabled && (
              <>
                <Field label="Your password" name="password" type="password" required autoComplete="current-password" value={verify.values.password} onChange={verify.set("password")} error={verify.errors.password} />
                <Field label="Code from the app you use now" name="current" required inputMode="numeric" autoComplete="off" value={verify.values.current} onChange={verify.set("current")} error={verify.errors.current} />
              </>
            )}
            <Submit busy={verify.busy}>{enabled ? "Replace" : "Turn on"}</Submit>
          </form>
        </>
      ) : (
        enabled !== undefined && (
          <ActionButton
            onError={setError}
            action={async () => {
              setState(undefined);
              setError(undefined);
              const access_token = await api.accessToken();
              const started = await api.call((client) => client.POST("/auth/mfa/totp", { body: { access_token } }));
              setEnrolment({ uri: started.otpauth_uri, secret: started.secret, modules: qrModules(started.otpauth_uri) });
            }}
          >
            {enabled ? "Use another authenticator app" : "Set up two-step sign-in"}
          </ActionButton>
        )
      )}
      {enabled && (
        <details className="turn-off">
          <summary>Turn two-step sign-in off</summary>
          <form
            ref={off.formRef}
            noValidate
            aria-label="Turn two-step sign-in off"
            onSubmit={(event) => {
              event.preventDefault();
              void off.submit(
                offErrors,
                async (values) => {
                  const access_token = await api.accessToken();
                  await api.call((client) => client.DELETE("/auth/mfa/totp", { body: offBody(access_token, values) }));
                  setState("Two-step sign-in is off.");
                  off.setValues(empty);
                  status.setData({ enabled: false });
                },
              );
            }}
          >
            <Alert message={off.formError} />
            <Field label="Your password" name="password" type="password" required autoComplete="current-password" value={off.values.password} onChange={off.set("password")} error={off.errors.password} />
            <Field label="Current code from the app" name="code" required inputMode="numeric" autoComplete="one-time-code" value={off.values.code} onChange={off.set("code")} error={off.errors.code} />
            <Submit busy={off.busy}>Turn off</Submit>
          </form>
        </details>
      )}
    </section>
  );
}

/** The QR code's modules, made here (no image from elsewhere: the secret stays in the page). */
export function qrModules(text: string): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  return Array.from({ length: modules.size }, (_, row) => Array.from({ length: modules.size }, (_, column) => Boolean(modules.get(row, column))));
}

function QrCode({ modules, label }: { modules: boolean[][]; label: string }) {
  const quiet = 4;
  const size = modules.length + quiet * 2;
  const path = modules.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x + quiet} ${y + quiet}h1v1h-1z` : ""))).join("");
  return (
    <svg className="qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} data-testid="totp-qr" shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

function WebhooksSection({ api }: { api: Api }) {
  const hooks = useLoad(() => api.call((client) => client.GET("/me/webhooks")), [api]);
  const [created, setCreated] = useState<{ url: string; secret: string }>();
  const [error, setError] = useState<string>();
  const form = useForm({ url: "", events: "" });
  const [events, setEvents] = useState<string[]>(["workout.created"]);
  const items: Webhook[] = hooks.data?.items ?? [];

  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="muted">Stride posts a signed event to your URL when your data changes (at most 5 webhooks).</p>
      <Alert message={hooks.error ?? error} />
      {hooks.loading ? <Loading what="webhooks" /> : null}
      {hooks.data && items.length === 0 ? <p className="muted">No webhooks yet.</p> : null}
      <ul className="plain">
        {items.map((hook) => (
          <li key={hook.id} className="row compact" data-testid="webhook">
            <span className="grow">
              <strong>{hook.url}</strong>
              <br />
              <span className="muted">
                {hook.events.join(", ")} · {hook.status}
                {hook.disabled_reason ? `: ${hook.disabled_reason}` : hook.last_error ? ` (last delivery failed: ${hook.last_error})` : ""}
              </span>
            </span>
            <ActionButton
              onError={setError}
              action={async () => {
                await api.call((client) => client.DELETE("/me/webhooks/{webhook_id}", { params: { path: { webhook_id: hook.id } } }));
                hooks.setData((current) => current && { ...current, items: current.items.filter((item) => item.id !== hook.id) });
              }}
            >
              Delete<span className="visually-hidden"> the webhook to {hook.url}</span>
            </ActionButton>
          </li>
        ))}
      </ul>
      <form
        ref={form.formRef}
        noValidate
        aria-label="Add a webhook"
        onSubmit={(event) => {
          event.preventDefault();
          setCreated(undefined);
          void form.submit(
            (values) => check.clean({ url: check.webhookUrl(values.url), events: events.length ? undefined : "Choose at least one event." }),
            async (values) => {
              const body = { url: values.url.trim(), events: events as Webhook["events"] };
              const hook = await api.call((client) => client.POST("/me/webhooks", { body }));
              const { secret, ...shown } = hook;
              setCreated({ url: hook.url, secret });
              hooks.setData((current) => withItem(current, shown, "last"));
              form.setValues({ url: "", events: "" });
            },
          );
        }}
      >
        <Alert message={form.formError} />
        <Field label="URL" name="url" required type="url" hint="https://, on a public host." value={form.values.url} onChange={form.set("url")} error={form.errors.url} />
        <fieldset className="field events" aria-invalid={form.errors.events ? true : undefined}>
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((name) => (
            <label key={name} className="switch">
              <input type="checkbox" checked={events.includes(name)} onChange={(event) => setEvents(event.target.checked ? [...events, name] : events.filter((other) => other !== name))} />
              {name}
            </label>
          ))}
          {form.errors.events ? <p className="error">{form.errors.events}</p> : null}
        </fieldset>
        <Submit busy={form.busy}>Add webhook</Submit>
      </form>
      {created ? <ShownOnce label={`Signing secret for ${created.url}:`} value={created.secret} note="Shown this once: keep it where your receiver can check signatures with it." /> : null}
    </section>
  );
}

function DeleteSection({ api }: { api: Api }) {
  const [confirming, setConfirming] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <section className="card danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete your account</h2>
      <Alert message={error} />
      {confirming ? (
        <div role="group" aria-labelledby="delete-heading">
          <p>This deletes, for good and at once:</p>
          <ul data-testid="what-goes">
            <li>your account, sign-in and every signed-in session;</li>
            <li>your profile, preferences and e-mail schedule;</li>
            <li>your weights, workouts and tasks;</li>
            <li>your assessments, programs and video progress;</li>
            <li>your posts, their images, comments and likes, and your comments and likes elsewhere;</li>
            <li>your webhooks, and your membership of your business.</li>
          </ul>
          <p>Export your data first if you want to keep it.</p>
          <label className="switch">
            <input type="checkbox" checked={understood} onChange={(event) => setUnderstood(event.target.checked)} />I understand that this cannot be undone
          </label>
          <div className="row compact">
            {understood ? (
              <ActionButton
                className="danger"
                onError={setError}
                action={async () => {
                  await api.call((client) => client.DELETE("/me"));
                  api.signOut("Your account and its data are deleted.");
                }}
              >
                Delete my account
              </ActionButton>
            ) : null}
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep my account
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          Delete my account…
        </button>
      )}
    </section>
  );
}
