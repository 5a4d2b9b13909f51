// Signing in (the first screen, in the first bundle). Sign-up, confirmation and the password reset are a chunk of their own (authScreens.tsx).

import { useState } from "react";
import { Api, ApiError } from "./api";
import { Alert, AuthPage, Field, Link, Submit, navigate, useForm } from "./ui";
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
