// Sign up, confirm, sign in, forgot and reset password: the public /auth routes.

import { useState } from "react";
import { Api, ApiError } from "./api";
import { Alert, Field, Link, Submit, navigate, useForm } from "./ui";
import * as check from "./validation";

const RETURN_KEY = "stride.return_to";

/** A path of this site ("/business?invite=…"), never another site's ("//evil.example", "/\\evil"). */
export function isOwnPath(to: string): boolean {
  return /^\/(?![/\\])/.test(to) && !/[\u0000-\u001f]/.test(to);
}

/** A page opened signed out (a deep link, an e-mailed invitation's `/business?invite=…`): where
 * the sign-in goes once it succeeds. Same-origin paths only. */
export function rememberReturn(to: string): void {
  if (!isOwnPath(to)) return;
  try {
    sessionStorage.setItem(RETURN_KEY, to);
  } catch {
    // storage refused: the sign-in goes to the dashboard
  }
}

function takeReturn(): string {
  try {
    const to = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    return to && isOwnPath(to) ? to : "/";
  } catch {
    return "/";
  }
}

function AuthPage({ title, children, intro }: { title: string; intro?: string; children: React.ReactNode }) {
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

export function SignUp({ api }: { api: Api }) {
  const form = useForm({ name: "", email: "", password: "" });
  return (
    <AuthPage title="Create your Stride account">
      <form
        ref={form.formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(check.signUp, async (values) => {
            const email = values.email.trim().toLowerCase();
            try {
              await api.callPublic((client) => client.POST("/auth/signup", { body: { name: values.name.trim(), email, password: values.password } }));
            } catch (error) {
              // An existing account is a field error too: it belongs beside the e-mail address.
              if (error instanceof ApiError && error.status === 409) {
                throw new ApiError(409, error.code, error.message, { email: error.message });
              }
              throw error;
            }
            Api.rememberEmail(email);
            navigate("/confirm");
          });
        }}
      >
        <Alert message={form.formError} />
        <Field label="Name" name="name" required autoComplete="name" value={form.values.name} onChange={form.set("name")} error={form.errors.name} />
        <Field label="E-mail" name="email" type="email" required autoComplete="email" inputMode="email" value={form.values.email} onChange={form.set("email")} error={form.errors.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          required
          autoComplete="new-password"
          hint="At least 12 characters, with an upper-case letter, a lower-case letter, a digit and a symbol."
          value={form.values.password}
          onChange={form.set("password")}
          error={form.errors.password}
        />
        <Submit busy={form.busy}>Sign up</Submit>
      </form>
      <p>
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </AuthPage>
  );
}

export function Confirm({ api }: { api: Api }) {
  const form = useForm({ email: Api.rememberedEmail(), code: "" });
  const [done, setDone] = useState(false);
  return (
    <AuthPage title="Confirm your e-mail" intro="We sent a confirmation code to your e-mail address. Enter it here.">
      {done ? (
        <>
          <Alert tone="info" message="Your account is confirmed. You can sign in now." />
          <p>
            <Link to="/signin" className="button primary">
              Sign in
            </Link>
          </p>
        </>
      ) : (
        <form
          ref={form.formRef}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void form.submit(
              (values) => {
                const errors: Record<string, string> = {};
                const email = check.email(values.email);
                const code = check.code(values.code.trim());
                if (email) errors.email = email;
                if (code) errors.code = code;
                return errors;
              },
              async (values) => {
                try {
                  const body = { email: values.email.trim().toLowerCase(), code: values.code.trim() };
                  await api.callPublic((client) => client.POST("/auth/confirm", { body }));
                } catch (error) {
                  if (error instanceof ApiError && error.code === "invalid_code") {
                    throw new ApiError(400, error.code, error.message, { code: error.message });
                  }
                  if (!(error instanceof ApiError && error.code === "already_confirmed")) throw error;
                }
                setDone(true);
              },
            );
          }}
        >
          <Alert message={form.formError} />
          <Field label="E-mail" name="email" type="email" required autoComplete="email" value={form.values.email} onChange={form.set("email")} error={form.errors.email} />
          <Field label="Confirmation code" name="code" required autoComplete="one-time-code" inputMode="numeric" value={form.values.code} onChange={form.set("code")} error={form.errors.code} />
          <Submit busy={form.busy}>Confirm</Submit>
        </form>
      )}
    </AuthPage>
  );
}

export function SignIn({ api, notice }: { api: Api; notice?: string }) {
  const form = useForm({ email: Api.rememberedEmail(), password: "" });
  const [challenge, setChallenge] = useState<{ email: string; session: string } | null>(null);
  const [over, setOver] = useState<string>();
  // Off by default, as on a shared computer: the session then ends with the browser's last tab.
  const [stay, setStay] = useState(false);
  if (challenge) {
    // A wrong code stays on this screen (422); a sign-in whose session is over (5 wrong codes or
    // 3 minutes: 401) starts again from the password.
    const restart = (message: string) => {
      setChallenge(null);
      setOver(message);
    };
    return <MfaCode api={api} email={challenge.email} session={challenge.session} stay={stay} onOver={restart} />;
  }
  return (
    <AuthPage title="Sign in to Stride">
      <Alert tone="info" message={over ?? notice} />
      <form
        ref={form.formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(
            (values) => {
              const errors: Record<string, string> = {};
              const email = check.email(values.email);
              if (email) errors.email = email;
              if (!values.password) errors.password = "Enter your password.";
              return errors;
            },
            async (values) => {
              const email = values.email.trim().toLowerCase();
              try {
                const pending = await api.signIn(email, values.password, stay);
                if (pending) {
                  setChallenge({ email, session: pending.mfaSession });
                  return;
                }
              } catch (error) {
                if (error instanceof ApiError && error.code === "user_not_confirmed") {
                  Api.rememberEmail(values.email.trim().toLowerCase());
                  navigate("/confirm");
                  return;
                }
                throw error;
              }
              navigate(takeReturn());
            },
          );
        }}
      >
        <Alert message={form.formError} />
        <Field label="E-mail" name="email" type="email" required autoComplete="username" value={form.values.email} onChange={form.set("email")} error={form.errors.email} />
        <Field label="Password" name="password" type="password" required autoComplete="current-password" value={form.values.password} onChange={form.set("password")} error={form.errors.password} />
        <label className="switch">
          <input type="checkbox" name="stay" checked={stay} onChange={(event) => setStay(event.target.checked)} aria-describedby="stay-hint" />
          Stay signed in
        </label>
        <p id="stay-hint" className="hint">
          On this device, after the browser is closed. Leave it off on a shared computer.
        </p>
        <Submit busy={form.busy}>Sign in</Submit>
      </form>
      <p>
        <Link to="/forgot">Forgot your password?</Link>
      </p>
      <p>
        New to Stride? <Link to="/signup">Create an account</Link>
      </p>
    </AuthPage>
  );
}

function MfaCode({ api, email, session, stay, onOver }: { api: Api; email: string; session: string; stay: boolean; onOver: (message: string) => void }) {
  const form = useForm({ code: "" });
  return (
    <AuthPage title="Two-step sign-in" intro="Enter the six-digit code your authenticator app shows for Stride.">
      <form
        ref={form.formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(
            (values): Record<string, string> => (/^[0-9]{6}$/.test(values.code.trim()) ? {} : { code: "Enter the six digits." }),
            async (values) => {
              try {
                await api.completeMfa(email, session, values.code.trim(), stay);
              } catch (error) {
                if (error instanceof ApiError && error.status === 401) {
                  onOver("That sign-in has ended (too many wrong codes, or it took too long). Sign in again.");
                  return;
                }
                throw error;
              }
              navigate(takeReturn());
            },
          );
        }}
      >
        <Alert message={form.formError} />
        <Field label="Code" name="code" required autoComplete="one-time-code" inputMode="numeric" value={form.values.code} onChange={form.set("code")} error={form.errors.code} />
        <Submit busy={form.busy}>Sign in</Submit>
      </form>
    </AuthPage>
  );
}

export function ForgotPassword({ api }: { api: Api }) {
  const form = useForm({ email: Api.rememberedEmail() });
  return (
    <AuthPage title="Forgot your password?" intro="Enter your e-mail address and we will send you a code to reset it.">
      <form
        ref={form.formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(
            (values): Record<string, string> => {
              const email = check.email(values.email);
              return email ? { email } : {};
            },
            async (values) => {
              const email = values.email.trim().toLowerCase();
              await api.callPublic((client) => client.POST("/auth/forgot-password", { body: { email } }));
              Api.rememberEmail(email);
              navigate("/reset");
            },
          );
        }}
      >
        <Alert message={form.formError} />
        <Field label="E-mail" name="email" type="email" required autoComplete="email" value={form.values.email} onChange={form.set("email")} error={form.errors.email} />
        <Submit busy={form.busy}>Send the code</Submit>
      </form>
      <p>
        <Link to="/signin">Back to sign in</Link>
      </p>
    </AuthPage>
  );
}

export function ResetPassword({ api }: { api: Api }) {
  const form = useForm({ email: Api.rememberedEmail(), code: "", new_password: "" });
  const [done, setDone] = useState(false);
  return (
    <AuthPage title="Choose a new password" intro="If an account exists for this address, we sent it a code.">
      {done ? (
        <>
          <Alert tone="info" message="Your password is changed. Sign in with the new one." />
          <p>
            <Link to="/signin" className="button primary">
              Sign in
            </Link>
          </p>
        </>
      ) : (
        <form
          ref={form.formRef}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void form.submit(
              (values) => {
                const errors: Record<string, string> = {};
                const email = check.email(values.email);
                const code = check.code(values.code.trim());
                const password = check.password(values.new_password);
                if (email) errors.email = email;
                if (code) errors.code = code;
                if (password) errors.new_password = password;
                return errors;
              },
              async (values) => {
                try {
                  const body = { email: values.email.trim().toLowerCase(), code: values.code.trim(), new_password: values.new_password };
                  await api.callPublic((client) => client.POST("/auth/reset-password", { body }));
                } catch (error) {
                  if (error instanceof ApiError && error.code === "invalid_code") {
                    throw new ApiError(400, error.code, error.message, { code: error.message });
                  }
                  throw error;
                }
                setDone(true);
              },
            );
          }}
        >
          <Alert message={form.formError} />
          <Field label="E-mail" name="email" type="email" required autoComplete="username" value={form.values.email} onChange={form.set("email")} error={form.errors.email} />
          <Field label="Code" name="code" required autoComplete="one-time-code" value={form.values.code} onChange={form.set("code")} error={form.errors.code} />
          <Field
            label="New password"
            name="new_password"
            type="password"
            required
            autoComplete="new-password"
            hint="At least 12 characters, with an upper-case letter, a lower-case letter, a digit and a symbol."
            value={form.values.new_password}
            onChange={form.set("new_password")}
            error={form.errors.new_password}
          />
          <Submit busy={form.busy}>Change the password</Submit>
        </form>
      )}
    </AuthPage>
  );
}
