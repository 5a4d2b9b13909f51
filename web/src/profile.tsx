// Profile (PATCH /me/profile) and preferences (PUT /me/preferences: the whole document).

import { useEffect, useState } from "react";
import { Api, ApiError } from "./api";
import type { Me, Preferences, PreferencesInput, Profile, ProfilePatch } from "./types";
import { WEEKDAYS } from "./types";
import { Alert, Field, Submit, useForm } from "./ui";
import { heightCm, heightUnit, shownHeight } from "./units";
import * as check from "./validation";

/** The time zones to offer: the browser's IANA zones, and UTC. The API publishes a pattern and a
 * link to the tz database rather than its list; a zone its pinned tzdata does not know (a rare,
 * brand-new one) is refused with an error shown beside the field. */
function timezones(): string[] {
  return [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")])];
}

export function ProfilePage({ api, preferences, onPreferences }: { api: Api; preferences: Preferences; onPreferences: (p: Preferences) => void }) {
  const [me, setMe] = useState<Me>();
  const [profile, setProfile] = useState<Profile>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    Promise.all([api.call((client) => client.GET("/me")), api.call((client) => client.GET("/me/profile"))])
      .then(([who, stored]) => {
        setMe(who);
        setProfile(stored);
      })
      .catch((caught: unknown) => {
        if (caught instanceof ApiError && caught.status !== 401) setError(caught.message);
      });
  }, [api]);

  return (
    <main id="main" tabIndex={-1}>
      <h1>Profile and preferences</h1>
      <Alert message={error} />
      <div className="grid">
        {profile ? <ProfileForm key={preferences.units} api={api} profile={profile} email={me?.email} timezone={preferences.timezone} units={preferences.units} onSaved={setProfile} /> : <p>Loading…</p>}
        <PreferencesForm api={api} preferences={preferences} onSaved={onPreferences} />
      </div>
    </main>
  );
}

function ProfileForm({ api, profile, email, timezone, units, onSaved }: { api: Api; profile: Profile; email?: string; timezone: string; units: string; onSaved: (p: Profile) => void }) {
  // The height in the preference's unit (units.ts converts both ways; the API keeps cm).
  const form = useForm({
    display_name: profile.display_name ?? "",
    height_cm: shownHeight(profile.height_cm, units),
    birth_date: profile.birth_date ?? "",
    bio: profile.bio ?? "",
  });
  const [saved, setSaved] = useState<string>();
  return (
    <section className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      {email ? <p className="muted">Signed in as {email}</p> : null}
      <form
        ref={form.formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(undefined);
          void form.submit(
            (values) => check.profile(values, timezone, units),
            async (values) => {
              // PATCH: an emptied field is sent as null, which removes it.
              const body: ProfilePatch = {
                display_name: values.display_name.trim() || null,
                height_cm: values.height_cm.trim() ? heightCm(Number(values.height_cm), units) : null,
                birth_date: values.birth_date || null,
                bio: values.bio.trim() || null,
              };
              onSaved(await api.call((client) => client.PATCH("/me/profile", { body })));
              setSaved("Profile saved.");
            },
          );
        }}
      >
        <Alert message={form.formError} />
        <Alert tone="info" message={saved} />
        <Field label="Display name" name="display_name" autoComplete="nickname" value={form.values.display_name} onChange={form.set("display_name")} error={form.errors.display_name} />
        <Field label={`Height (${heightUnit(units)})`} name="height_cm" inputMode="decimal" value={form.values.height_cm} onChange={form.set("height_cm")} error={form.errors.height_cm} />
        <Field label="Birth date" name="birth_date" type="date" autoComplete="bday" value={form.values.birth_date} onChange={form.set("birth_date")} error={form.errors.birth_date} />
        <Field label="About you" name="bio" multiline value={form.values.bio} onChange={form.set("bio")} error={form.errors.bio} />
        <Submit busy={form.busy}>Save profile</Submit>
      </form>
    </section>
  );
}

function PreferencesForm({ api, preferences, onSaved }: { api: Api; preferences: Preferences; onSaved: (p: Preferences) => void }) {
  const form = useForm({
    units: preferences.units as string,
    timezone: preferences.timezone,
    weekly_workout_goal: String(preferences.weekly_workout_goal),
    week_starts_on: preferences.week_starts_on,
    activity_ends_m: String(preferences.privacy.activity_ends_m),
  });
  const [zones] = useState<string[]>(() => {
    const all = timezones();
    return all.includes(preferences.timezone) ? all : [preferences.timezone, ...all];
  });
  const [saved, setSaved] = useState<string>();

  return (
    <section className="card" aria-labelledby="preferences-heading">
      <h2 id="preferences-heading">Preferences</h2>
      <form
        ref={form.formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(undefined);
          void form.submit(
            (values) => {
              const errors: Record<string, string> = {};
              const goal = check.goal(values.weekly_workout_goal);
              if (goal) errors.weekly_workout_goal = goal;
              if (!zones.includes(values.timezone)) errors.timezone = "Choose a time zone from the list.";
              return errors;
            },
            async (values) => {
              // PUT replaces the document: what this form does not show is sent back as it was.
              const body: PreferencesInput = {
                units: values.units as PreferencesInput["units"],
                timezone: values.timezone,
                weekly_workout_goal: Number(values.weekly_workout_goal),
                week_starts_on: values.week_starts_on,
                notifications: preferences.notifications,
                privacy: { ...preferences.privacy, activity_ends_m: Number(values.activity_ends_m) },
              };
              onSaved(await api.call((client) => client.PUT("/me/preferences", { body })));
              setSaved("Preferences saved.");
            },
          );
        }}
      >
        <Alert message={form.formError} />
        <Alert tone="info" message={saved} />
        <Field
          label="Units"
          name="units"
          required
          options={[
            { value: "metric", label: "Metric (kg, cm, km)" },
            { value: "imperial", label: "Imperial (lb, in, mi)" },
          ]}
          value={form.values.units}
          onChange={form.set("units")}
          error={form.errors.units}
        />
        <Field label="Time zone" name="timezone" required options={zones} value={form.values.timezone} onChange={form.set("timezone")} error={form.errors.timezone} />
        <Field label="Workouts per week (goal)" name="weekly_workout_goal" required inputMode="numeric" value={form.values.weekly_workout_goal} onChange={form.set("weekly_workout_goal")} error={form.errors.weekly_workout_goal} />
        <Field label="Week starts on" name="week_starts_on" required options={WEEKDAYS} value={form.values.week_starts_on} onChange={form.set("week_starts_on")} error={form.errors.week_starts_on} />
        <Field
          label="Hide the start and end of routes you share"
          name="activity_ends_m"
          required
          hint="Coaches and your business see your routes without their first and last metres, so they do not show where you live. You always see the whole route."
          options={endsOptions(preferences.privacy.activity_ends_m)}
          value={form.values.activity_ends_m}
          onChange={form.set("activity_ends_m")}
          error={form.errors.activity_ends_m}
        />
        <Submit busy={form.busy}>Save preferences</Submit>
      </form>
    </section>
  );
}

/** The distances offered for hiding a shared route's ends (the API takes 0 to 2,000 m); a value
 * set elsewhere is offered too. */
function endsOptions(current: number): { value: string; label: string }[] {
  const metres = [...new Set([0, 100, 200, 500, 1000, current])].sort((a, b) => a - b);
  return metres.map((value) => ({ value: String(value), label: value === 0 ? "No: show the whole route" : `The first and last ${value} m` }));
}
