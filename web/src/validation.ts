// Client-side checks that mirror the API's (chalicelib/schemas, chalicelib/policy.py). The API
// checks again and its field errors are shown the same way: these only save a round trip.

import type { FieldErrors } from "./api";
import { todayIn } from "./dates";
import { type Units, heightBounds, heightUnit } from "./units";

// The pattern the API publishes for e-mail addresses (the one the user pool accepts).
const EMAIL =
  /^[A-Za-z0-9_](?:[A-Za-z0-9_.%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const SYMBOLS = "^$*.[]{}()?-\"!@#%&/\\,><':;|_~`+= ";
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEIGHT_RANGE = { kg: [20, 500], lb: [44.093, 1102.311] } as const;

// Today in the person's zone lives with the other date formats (dates.ts).
export { todayIn };

function decimals(text: string): number {
  const dot = text.trim().indexOf(".");
  return dot < 0 ? 0 : text.trim().length - dot - 1;
}

function isNumber(text: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(text.trim());
}

export function validDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2100) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function email(value: string): string | undefined {
  if (!value.trim()) return "Enter your e-mail address.";
  if (value.length > 128 || !EMAIL.test(value.trim())) return "Enter a valid e-mail address, like name@example.com.";
  return undefined;
}

export function password(value: string): string | undefined {
  const missing: string[] = [];
  if (value.length < 12) missing.push("12 characters");
  if (!/[A-Z]/.test(value)) missing.push("an upper-case letter");
  if (!/[a-z]/.test(value)) missing.push("a lower-case letter");
  if (!/[0-9]/.test(value)) missing.push("a digit");
  if (![...value].some((c) => SYMBOLS.includes(c))) missing.push("a symbol");
  if (/^\s|\s$/.test(value)) return "The password cannot start or end with a space.";
  if (value.length > 256) return "Use at most 256 characters.";
  return missing.length ? `The password needs at least ${missing.join(", ")}.` : undefined;
}

export function required(value: string, label: string, max: number): string | undefined {
  if (!value.trim()) return `Enter ${label}.`;
  if (value.length > max) return `Use at most ${max} characters.`;
  return undefined;
}

export function code(value: string): string | undefined {
  return /^\S{1,64}$/.test(value) ? undefined : "Enter the code from the e-mail (no spaces).";
}

/** measured_at / started_at: a date, at most a day ahead of today in the user's timezone. */
export function pastDate(value: string, timezone: string): string | undefined {
  if (!validDate(value)) return "Enter a date as YYYY-MM-DD.";
  if (value > todayIn(timezone, 1)) return "The date cannot be more than a day in the future.";
  return undefined;
}

export function signUp(values: { name: string; email: string; password: string }): FieldErrors {
  return clean({
    name: required(values.name, "your name", 80),
    email: email(values.email),
    password: password(values.password),
  });
}

export function weight(values: { value: string; unit: "kg" | "lb"; measured_at: string; body_fat_pct: string; note: string }, timezone: string): FieldErrors {
  const errors: Record<string, string | undefined> = {};
  const [low, high] = WEIGHT_RANGE[values.unit];
  if (!isNumber(values.value)) errors.value = "Enter your weight as a number.";
  else if (Number(values.value) < low || Number(values.value) > high) errors.value = `Enter a weight from ${low} to ${high} ${values.unit}.`;
  else if (decimals(values.value) > 3) errors.value = "Use at most 3 decimal places.";
  errors.measured_at = pastDate(values.measured_at, timezone);
  if (values.body_fat_pct.trim()) {
    if (!isNumber(values.body_fat_pct) || Number(values.body_fat_pct) < 2 || Number(values.body_fat_pct) > 75) {
      errors.body_fat_pct = "Enter a body fat percentage from 2 to 75.";
    } else if (decimals(values.body_fat_pct) > 1) errors.body_fat_pct = "Use at most 1 decimal place.";
  }
  if (values.note.length > 500) errors.note = "Use at most 500 characters.";
  return clean(errors);
}

export function workout(values: { title: string; type: string; duration_min: string; started_at: string }, timezone: string): FieldErrors {
  const minutes = values.duration_min.trim();
  return clean({
    title: required(values.title, "a title", 200),
    type: values.type ? undefined : "Choose a type.",
    duration_min:
      /^\d+$/.test(minutes) && Number(minutes) >= 1 && Number(minutes) <= 1440
        ? undefined
        : "Enter whole minutes from 1 to 1440.",
    started_at: pastDate(values.started_at, timezone),
  });
}

export function task(values: { title: string; due_date: string }): FieldErrors {
  return clean({
    title: required(values.title, "a title", 200),
    due_date: values.due_date && !validDate(values.due_date) ? "Enter a date as YYYY-MM-DD." : undefined,
  });
}

/** The profile form; its height is in the preference's unit (cm, or inches for imperial). */
export function profile(values: { display_name: string; height_cm: string; birth_date: string; bio: string }, timezone: string, units: Units = "metric"): FieldErrors {
  const errors: Record<string, string | undefined> = {};
  if (values.display_name.length > 80) errors.display_name = "Use at most 80 characters.";
  if (values.height_cm.trim()) {
    const [low, high] = heightBounds(units);
    if (!isNumber(values.height_cm) || Number(values.height_cm) < low || Number(values.height_cm) > high) {
      errors.height_cm = `Enter a height from ${low} to ${high} ${heightUnit(units)}.`;
    } else if (decimals(values.height_cm) > 1) errors.height_cm = "Use at most 1 decimal place.";
  }
  if (values.birth_date) {
    if (!validDate(values.birth_date) || values.birth_date <= "1900-01-01") errors.birth_date = "Enter a date after 1900-01-01 as YYYY-MM-DD.";
    else if (values.birth_date >= todayIn(timezone)) errors.birth_date = "The birth date must be in the past.";
  }
  if (values.bio.length > 1000) errors.bio = "Use at most 1000 characters.";
  return clean(errors);
}

export function goal(value: string): string | undefined {
  return /^\d+$/.test(value) && Number(value) <= 14 ? undefined : "Enter a whole number from 0 to 14.";
}

export function post(text: string): FieldErrors {
  return clean({ text: text.trim() ? (text.length > 2000 ? "Use at most 2000 characters." : undefined) : "Write something to post." });
}

export function clean(errors: Record<string, string | undefined>): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The answer typed for one question, as the API takes it (a number, a choice's value, a
 * boolean), or the message the API would give. Empty: `undefined` (missing). */
type QuestionRule = { type: "integer" | "number" | "choice" | "boolean"; min?: number; max?: number; choices?: readonly { value: string }[] };
export function answer(question: QuestionRule, text: string): { value?: number | string | boolean; error?: string } {
  const typed = text.trim();
  if (!typed) return {};
  if (question.type === "boolean") {
    if (typed === "true" || typed === "false") return { value: typed === "true" };
    return { error: "Choose yes or no." };
  }
  if (question.type === "choice") {
    return question.choices?.some((choice) => choice.value === typed) ? { value: typed } : { error: "Choose one of the answers." };
  }
  if (!isNumber(typed)) return { error: question.type === "integer" ? "Enter a whole number." : "Enter a number." };
  if (question.type === "integer" && decimals(typed) > 0) return { error: "Enter a whole number." };
  if (decimals(typed) > 3) return { error: "Use at most 3 decimal places." };
  const value = Number(typed);
  if ((question.min !== undefined && value < question.min) || (question.max !== undefined && value > question.max)) {
    return { error: `Enter a number from ${question.min} to ${question.max}.` };
  }
  return { value };
}

/** Every question's answer, or the errors by question id (a required question left empty too). */
export function answers(
  questions: readonly (QuestionRule & { id: string; required: boolean })[],
  texts: Record<string, string>,
): { answers: Record<string, number | string | boolean>; errors: FieldErrors } {
  const given: Record<string, number | string | boolean> = {};
  const errors: FieldErrors = {};
  for (const question of questions) {
    const { value, error } = answer(question, texts[question.id] ?? "");
    if (error) errors[question.id] = error;
    else if (value === undefined) {
      if (question.required) errors[question.id] = "Answer this question.";
    } else given[question.id] = value;
  }
  return { answers: given, errors };
}

// The API's tag pattern: lower-case letters and digits, joined by single hyphens.
const TAG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function tag(value: string): boolean {
  return value.length <= 32 && TAG.test(value);
}

/** "Squat, legs ,  " -> ["squat", "legs"] (lower-cased, blanks and repeats dropped). */
export function tags(value: string): string[] {
  return [...new Set(value.split(",").map((part) => part.trim().toLowerCase()).filter(Boolean))];
}

export function video(values: { title: string; description: string; tags: string; duration_s: string }): FieldErrors {
  const listed = tags(values.tags);
  const seconds = values.duration_s.trim();
  return clean({
    title: required(values.title, "a title", 200),
    description: values.description.length > 5000 ? "Use at most 5000 characters." : undefined,
    tags:
      listed.length > 10
        ? "Use at most 10 tags."
        : listed.find((name) => !tag(name))
          ? `“${listed.find((name) => !tag(name))}” is not a tag: use lower-case letters and digits, joined by hyphens.`
          : undefined,
    duration_s: /^\d+$/.test(seconds) && Number(seconds) >= 1 && Number(seconds) <= 86400 ? undefined : "Enter the length in whole seconds, from 1 to 86400.",
  });
}

export { check as uploadFile, checkContent as uploadContent } from "./upload";

export function comment(text: string): FieldErrors {
  return clean({ text: text.trim() ? (text.length > 1000 ? "Use at most 1000 characters." : undefined) : "Write a comment first." });
}

export function totp(value: string): string | undefined {
  return /^\d{6}$/.test(value.trim()) ? undefined : "Enter the 6-digit code from your authenticator app.";
}

export function webhookUrl(value: string): string | undefined {
  const typed = value.trim();
  if (!typed) return "Enter the URL that receives the events.";
  if (typed.length > 2048) return "Use at most 2048 characters.";
  try {
    const url = new URL(typed);
    if (url.protocol !== "https:" && url.protocol !== "http:") return "Enter an https:// URL.";
  } catch {
    return "Enter a full URL, like https://example.com/stride.";
  }
  return undefined;
}

// The API's import limit (MAX_IMPORT_BYTES: an export file of at most 4 MiB).
const IMPORT_MAX_BYTES = 4 * 1024 * 1024;

export function importFile(file: { name: string; size: number }): string | undefined {
  if (!/\.(json|csv)$/i.test(file.name)) return `${file.name} is neither a Stride export (.json) nor a weights CSV (.csv).`;
  if (file.size > IMPORT_MAX_BYTES) return `${file.name} is larger than 4 MB, the most one import takes: split it.`;
  return undefined;
}

/** Where an import's error is, for people: "weights.3.measured_at" -> "Weight 4, measured_at"
 * in an export, "Row 5, measured_at" in a CSV (its header is row 1). */
export function recordName(path: string, csv = false): string {
  const [collection, index, ...rest] = path.split(".");
  if (index === undefined || !/^\d+$/.test(index)) return path.charAt(0).toUpperCase() + path.slice(1);
  const noun = collection.replace(/s$/, "");
  const name = csv ? `Row ${Number(index) + 2}` : `${noun.charAt(0).toUpperCase()}${noun.slice(1)} ${Number(index) + 1}`;
  return rest.length ? `${name}, ${rest.join(".")}` : name;
}
