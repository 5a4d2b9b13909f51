// The shapes this client reads and sends: names for the schemas of the API's own document
// (src/generated/openapi.ts, generated from chalicelib/openapi.json), never written by hand.

import type { components } from "./generated/openapi";

type Schemas = components["schemas"];

export type Me = Schemas["Me"];
export type Preferences = Schemas["Preferences"];
export type PreferencesInput = Schemas["PreferencesInput"];
export type Profile = Schemas["Profile"];
export type ProfilePatch = Schemas["ProfilePatch"];
export type WeightPoint = Schemas["WeightPoint"];
export type Summary = Schemas["Summary"];
export type Task = Schemas["Task"];
export type TaskInput = Schemas["TaskInput"];
export type WeightInput = Schemas["WeightInput"];
export type Post = Schemas["Post"];
export type Business = Schemas["Business"];
export type Member = Schemas["Member"];
export type Invite = Schemas["Invite"];
export type Program = Schemas["Program"];
export type Submission = Schemas["Submission"];
export type Assessment = Schemas["Assessment"];
export type Question = Schemas["QuestionOut"];
export type Video = Schemas["Video"];
export type Comment = Schemas["Comment"];
export type Webhook = Schemas["Webhook"];
export type Sharing = Schemas["Sharing"];
export type Workout = Schemas["Workout"];

/** The roles a business gives, as the API's enum has them. */
export type Role = Schemas["RoleInput"]["role"];

// The choices the forms offer, each checked by the compiler against the document's enum: a value
// the API would refuse, or one it takes that is missing here, does not compile.
type AllOf<Union, Listed extends readonly unknown[]> = [Union] extends [Listed[number]] ? unknown : never;
const listed =
  <Union,>() =>
  <const Listed extends readonly Union[]>(values: Listed & AllOf<Union, Listed>): Listed =>
    values;

export const WORKOUT_TYPES = listed<NonNullable<Schemas["WorkoutInput"]["type"]>>()(["strength", "cardio", "hiit", "mobility", "sport", "other"]);
export const PRIORITIES = listed<NonNullable<TaskInput["priority"]>>()(["low", "normal", "high"]);
export const WEEKDAYS = listed<Preferences["week_starts_on"]>()(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
export const ROLES = listed<Role>()(["member", "coach", "admin"]);
export const WEBHOOK_EVENTS = listed<Schemas["WebhookInput"]["events"][number]>()([
  "weight.created",
  "weight.updated",
  "weight.deleted",
  "workout.created",
  "workout.updated",
  "workout.deleted",
  "task.created",
  "task.updated",
  "task.completed",
  "task.deleted",
]);

// Activities (issue 28): a workout read from a GPX, TCX or FIT file carries its figures (sport,
// distance_m, splits, source...) in Workout itself; its route is a GeoJSON Feature.
export type Split = Schemas["SplitOut"];
export type Track = Schemas["Track"];
export type PersonalRecord = Schemas["PersonalRecord"];
export type PersonalRecords = Schemas["PersonalRecords"];
