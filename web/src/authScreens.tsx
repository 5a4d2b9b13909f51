// Sign up, confirm, forgot and reset password: the public /auth screens other than the sign-in,
// a chunk of their own (App.tsx loads them with lazyScreen), so the first bundle stays small.

import { useState } from "react";
import { Api, ApiError } from "./api";
import { browserZone } from "./dates";
import { Alert, AuthPage, Field, Link, Submit, navigate, useForm } from "./ui";
import * as check from "./validation";

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
              await api.callPublic((client) => client.POST("/auth/signup", { body: { name: values.name.trim(), email, password: values.password, timezone: browserZone() } }));
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
