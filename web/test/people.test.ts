import { describe, expect, it } from "vitest";
import { browserZone, formatDate, formatDateTime, setDisplayZone, todayIn } from "../src/dates";
import { NO_NAME, memberName, personName } from "../src/people";

describe("names as the screens show them", () => {
  it("shows the display name the API answered, 'You' for oneself, and a fallback without one", () => {
    expect(personName("u1", "Ada Lovelace", "u2")).toBe("Ada Lovelace");
    expect(personName("u2", "Ada Lovelace", "u2")).toBe("You");
    expect(personName("u1", null, "u2")).toBe(NO_NAME);
    expect(personName("u1", "   ", "u2")).toBe(NO_NAME);
    expect(personName("u1", undefined)).toBe(NO_NAME);
  });

  it("names a member, or falls back on their e-mail address", () => {
    expect(memberName({ name: "Grace Hopper", email: "grace@example.com" })).toBe("Grace Hopper");
    expect(memberName({ name: null, email: "grace@example.com" })).toBe("grace@example.com");
  });
});

describe("dates and times in the profile's zone", () => {
  const evening = "2026-12-07T01:30:00.000Z"; // 8.30 pm on the 6th in New York, 2.30 am on the 7th in Berlin

  it("formats one instant in the zone it is given, whatever the browser's", () => {
    expect(formatDateTime(evening, "America/New_York", "en-GB")).toBe("6 Dec 2026, 20:30");
    expect(formatDateTime(evening, "Europe/Berlin", "en-GB")).toBe("7 Dec 2026, 02:30");
    expect(formatDate(evening, "America/New_York", "en-GB")).toBe("6 Dec 2026");
  });

  it("uses the zone the app set from the preferences when none is given", () => {
    setDisplayZone("America/New_York");
    expect(formatDate(evening, undefined, "en-GB")).toBe("6 Dec 2026");
    setDisplayZone("Europe/Berlin");
    expect(formatDate(evening, undefined, "en-GB")).toBe("7 Dec 2026");
    setDisplayZone(undefined);
  });

  it("shows a calendar day as that day in every zone", () => {
    setDisplayZone("Pacific/Honolulu");
    expect(formatDate("2026-12-06", undefined, "en-GB")).toBe("6 Dec 2026");
    setDisplayZone(undefined);
  });

  it("leaves a value that is not a date as it came", () => {
    expect(formatDateTime("soon", "UTC")).toBe("soon");
  });

  it("prefills today in the person's zone, not UTC's: 8 pm in New York is still the 6th", () => {
    const now = Date.parse(evening);
    expect(todayIn("America/New_York", 0, now)).toBe("2026-12-06");
    expect(todayIn("UTC", 0, now)).toBe("2026-12-07");
    expect(todayIn("America/New_York", 1, now)).toBe("2026-12-07");
  });

  it("knows the browser's zone for the sign-up", () => {
    expect(browserZone()).toMatch(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/);
  });
});
