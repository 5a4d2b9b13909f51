// An assessment being written or edited by an admin: the form's values (strings, as inputs hold
// them), the body the API takes, and the checks the API makes (assessment_schemas.py), with
// errors keyed by the API's own paths ("questions.0.min"), so the API's errors land beside the
// same fields as the page's.

import type { components } from "./generated/openapi";

type AssessmentOut = components["schemas"]["Assessment"];
export type AssessmentBody = components["schemas"]["AssessmentInput"];
type QuestionBody = AssessmentBody["questions"][number];

export const QUESTION_TYPES = ["integer", "number", "choice", "boolean"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const MAX_QUESTIONS = 50;
export const MAX_CHOICES = 20;
const QUESTION_ID = /^[a-z][a-z0-9_]{0,39}$/;
const BOUND = 1_000_000;

export interface ChoiceDraft {
  value: string;
  label: string;
  points: string;
}

export interface QuestionDraft {
  id: string;
  prompt: string;
  type: QuestionType;
  required: boolean;
  weight: string;
  min: string;
  max: string;
  zero_at: string;
  full_at: string;
  choices: ChoiceDraft[];
  true_points: string;
  false_points: string;
}

export interface AssessmentDraft {
  title: string;
  description: string;
  questions: QuestionDraft[];
}

export type DraftErrors = Record<string, string>;

export function newQuestion(index: number): QuestionDraft {
  return {
    id: `question_${index + 1}`,
    prompt: "",
    type: "integer",
    required: true,
    weight: "1",
    min: "0",
    max: "10",
    zero_at: "",
    full_at: "",
    choices: [
      { value: "", label: "", points: "0" },
      { value: "", label: "", points: "100" },
    ],
    true_points: "100",
    false_points: "0",
  };
}

export function newDraft(): AssessmentDraft {
  return { title: "", description: "", questions: [newQuestion(0)] };
}

const text = (value: unknown): string => (value === undefined || value === null ? "" : String(value));

export function toDraft(assessment: AssessmentOut): AssessmentDraft {
  return {
    title: assessment.title,
    description: assessment.description ?? "",
    questions: assessment.questions.map((question, index) => ({
      ...newQuestion(index),
      id: question.id,
      prompt: question.prompt,
      type: question.type,
      required: question.required,
      weight: text(question.weight),
      min: text(question.min),
      max: text(question.max),
      zero_at: text(question.zero_at),
      full_at: text(question.full_at),
      choices: question.choices?.map((choice) => ({ value: choice.value, label: choice.label, points: text(choice.points) })) ?? newQuestion(index).choices,
      true_points: text(question.true_points ?? 100),
      false_points: text(question.false_points ?? 0),
    })),
  };
}

function wholeNumber(value: string, low: number, high: number): number | string {
  const trimmed = value.trim();
  if (!/^-?\d+$/.test(trimmed)) return "Enter a whole number.";
  const number = Number(trimmed);
  return number < low || number > high ? `From ${low} to ${high}.` : number;
}

function decimal(value: string, integer: boolean): number | string {
  const trimmed = value.trim();
  if (!/^-?\d+(\.\d{1,3})?$/.test(trimmed)) return integer ? "Enter a whole number." : "Enter a number, up to 3 decimals.";
  const number = Number(trimmed);
  if (integer && !Number.isInteger(number)) return "Must be a whole number.";
  return Math.abs(number) > BOUND ? `From ${-BOUND} to ${BOUND}.` : number;
}

function questionBody(question: QuestionDraft, at: string, errors: DraftErrors): QuestionBody {
  const body: Record<string, unknown> = { id: question.id.trim(), prompt: question.prompt.trim(), type: question.type, required: question.required };
  if (!QUESTION_ID.test(body.id as string)) errors[`${at}.id`] = "Lower-case letters, digits and _, starting with a letter (at most 40).";
  if (!(body.prompt as string)) errors[`${at}.prompt`] = "Write the question.";
  else if ((body.prompt as string).length > 500) errors[`${at}.prompt`] = "At most 500 characters.";
  const weight = wholeNumber(question.weight, 0, 10);
  if (typeof weight === "string") errors[`${at}.weight`] = weight;
  else body.weight = weight;

  if (question.type === "integer" || question.type === "number") {
    const integer = question.type === "integer";
    const numbers: Record<string, number> = {};
    for (const name of ["min", "max", "zero_at", "full_at"] as const) {
      if (!question[name].trim() && (name === "zero_at" || name === "full_at")) continue; // optional: min and max then
      const value = decimal(question[name], integer && (name === "min" || name === "max"));
      if (typeof value === "string") errors[`${at}.${name}`] = value;
      else numbers[name] = body[name] = value;
    }
    if (numbers.min !== undefined && numbers.max !== undefined) {
      if (numbers.min >= numbers.max) errors[`${at}.max`] = "Must be greater than the minimum.";
      else {
        const zeroAt = numbers.zero_at ?? numbers.min;
        const fullAt = numbers.full_at ?? numbers.max;
        for (const [name, value] of [["zero_at", zeroAt], ["full_at", fullAt]] as const) {
          if (value < numbers.min || value > numbers.max) errors[`${at}.${name}`] = "Must be between the minimum and the maximum.";
        }
        if (zeroAt === fullAt && !errors[`${at}.full_at`]) errors[`${at}.full_at`] = "Must differ from the 0-points answer.";
      }
    }
  } else if (question.type === "choice") {
    if (question.choices.length < 2 || question.choices.length > MAX_CHOICES) errors[`${at}.choices`] = `From 2 to ${MAX_CHOICES} choices.`;
    const values = question.choices.map((choice) => choice.value.trim());
    body.choices = question.choices.map((choice, index) => {
      const where = `${at}.choices.${index}`;
      const points = wholeNumber(choice.points, 0, 100);
      if (!choice.value.trim()) errors[`${where}.value`] = "Give the answer a value (saved with the answers).";
      else if (choice.value.trim().length > 50) errors[`${where}.value`] = "At most 50 characters.";
      if (!choice.label.trim()) errors[`${where}.label`] = "Give the answer a label (what people see).";
      if (typeof points === "string") errors[`${where}.points`] = points;
      return { value: choice.value.trim(), label: choice.label.trim(), points: typeof points === "number" ? points : 0 };
    });
    if (new Set(values).size !== values.length && !errors[`${at}.choices`]) errors[`${at}.choices`] = "Choice values must be unique.";
  } else {
    for (const name of ["true_points", "false_points"] as const) {
      const points = wholeNumber(question[name], 0, 100);
      if (typeof points === "string") errors[`${at}.${name}`] = points;
      else body[name] = points;
    }
  }
  return body as unknown as QuestionBody;
}

/** The body the API takes, and the errors it would answer (empty: send it). */
export function toBody(draft: AssessmentDraft): { body: AssessmentBody; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const title = draft.title.trim();
  if (!title) errors.title = "Give the assessment a title.";
  else if (title.length > 200) errors.title = "At most 200 characters.";
  if (draft.description.length > 2000) errors.description = "At most 2,000 characters.";
  if (draft.questions.length < 1 || draft.questions.length > MAX_QUESTIONS) errors.questions = `From 1 to ${MAX_QUESTIONS} questions.`;
  const questions = draft.questions.map((question, index) => questionBody(question, `questions.${index}`, errors));
  const ids = questions.map((question) => question.id);
  const duplicates = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
  if (duplicates.length) errors.questions = `Question ids must be unique: ${duplicates.join(", ")}.`;
  else if (!errors.questions && !questions.some((question) => question.required && (question.weight ?? 0) > 0)) {
    errors.questions = "At least one required question must have a weight above 0.";
  }
  const body: AssessmentBody = { title, questions, ...(draft.description.trim() ? { description: draft.description.trim() } : {}) };
  return { body, errors };
}
