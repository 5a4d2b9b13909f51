// The two-step sign-in card's rules, apart from the screen so they are tested without a browser.
//
// While two-step sign-in is on, replacing the authenticator app and turning two-step off need
// fresh proof: the password and a code of the app in use now (the API checks them with a new
// sign-in). A wrong code or password is a 422 the form shows beside its field; only a 401 (the
// session is over) signs out.

import type { FieldErrors } from "./api";
import * as check from "./validation";

export interface ProofValues extends Record<string, string> {
  code: string;
  password: string;
  current: string;
}

/** The API's field names, as the form names them. */
export const PROOF_FIELDS = { current_code: "current" } as const;

export function statusText(enabled: boolean | undefined): string {
  if (enabled === undefined) return "Checking whether two-step sign-in is on…";
  return enabled ? "Two-step sign-in is on: signing in asks for a code from your authenticator app." : "Two-step sign-in is off.";
}

/** Errors of the confirm form: the new app's code, and the proof while two-step is on. */
export function confirmErrors(enabled: boolean, values: ProofValues): FieldErrors {
  return check.clean({
    code: check.totp(values.code),
    password: enabled && !values.password ? "Enter your password." : undefined,
    current: enabled ? (check.totp(values.current) && "Enter the 6-digit code your current authenticator app shows.") || undefined : undefined,
  });
}

export function confirmBody(accessToken: string, enabled: boolean, values: ProofValues) {
  const body: { access_token: string; code: string; password?: string; current_code?: string } = { access_token: accessToken, code: values.code.trim() };
  if (enabled) {
    body.password = values.password;
    body.current_code = values.current.trim();
  }
  return body;
}

export function offErrors(values: ProofValues): FieldErrors {
  return check.clean({ code: check.totp(values.code), password: values.password ? undefined : "Enter your password." });
}

export function offBody(accessToken: string, values: ProofValues) {
  return { access_token: accessToken, code: values.code.trim(), password: values.password };
}
