import { describe, expect, it } from "vitest";
import * as check from "../src/validation";

const integer = { id: "reps", type: "integer", required: true, min: 0, max: 50 } as const;
const number = { id: "km", type: "number", required: true, min: 0, max: 100 } as const;
const choice = { id: "sleep", type: "choice", required: true, choices: [{ value: "well" }, { value: "poor" }] } as const;
const yesNo = { id: "injured", type: "boolean", required: true } as const;
const optional = { id: "age", type: "integer", required: false, min: 14, max: 110 } as const;

describe("assessment answers, checked as the API checks them", () => {
  it("takes each question type as the API wants it", () => {
    expect(check.answers([integer, number, choice, yesNo, optional], { reps: "9", km: "5.25", sleep: "well", injured: "false", age: "" })).toEqual({
      answers: { reps: 9, km: 5.25, sleep: "well", injured: false },
      errors: {},
    });
  });

  it("names every wrong or missing answer, and leaves an empty optional one out", () => {
    const { errors } = check.answers([integer, number, choice, yesNo, optional], { reps: "9.5", km: "5.2525", sleep: "ok", injured: "" });
    expect(errors).toEqual({
      reps: "Enter a whole number.",
      km: "Use at most 3 decimal places.",
      sleep: "Choose one of the answers.",
      injured: "Answer this question.",
    });
  });

  it("refuses numbers outside the question's range", () => {
    expect(check.answer(integer, "51").error).toBe("Enter a number from 0 to 50.");
    expect(check.answer(integer, "-1").error).toBe("Enter a number from 0 to 50.");
    expect(check.answer(number, "abc").error).toBe("Enter a number.");
    expect(check.answer(integer, "50").value).toBe(50);
  });
});

describe("weights in each unit", () => {
  const today = check.todayIn("UTC");
  const weight = (value: string, unit: "kg" | "lb") => check.weight({ value, unit, measured_at: today, body_fat_pct: "", note: "" }, "UTC");

  it("takes each unit's own range", () => {
    expect(weight("20", "kg")).toEqual({});
    expect(weight("19.9", "kg").value).toBe("Enter a weight from 20 to 500 kg.");
    expect(weight("44.093", "lb")).toEqual({});
    expect(weight("1102.312", "lb").value).toBe("Enter a weight from 44.093 to 1102.311 lb.");
  });

  it("refuses more than 3 decimals and a date more than a day ahead", () => {
    expect(weight("80.1234", "kg").value).toBe("Use at most 3 decimal places.");
    const ahead = check.weight({ value: "80", unit: "kg", measured_at: check.todayIn("UTC", 3), body_fat_pct: "", note: "" }, "UTC");
    expect(ahead.measured_at).toBe("The date cannot be more than a day in the future.");
  });
});

describe("videos, tags and webhooks", () => {
  it("cleans tags and refuses those the API's pattern refuses", () => {
    expect(check.tags(" Squat, legs,, squat ")).toEqual(["squat", "legs"]);
    expect(check.tag("push-up")).toBe(true);
    expect(check.tag("push--up")).toBe(false);
    expect(check.video({ title: "Squat", description: "", tags: "legs, big legs", duration_s: "40" }).tags).toContain("“big legs” is not a tag");
  });

  it("wants a title and a length in whole seconds", () => {
    expect(check.video({ title: " ", description: "", tags: "", duration_s: "0" })).toEqual({
      title: "Enter a title.",
      duration_s: "Enter the length in whole seconds, from 1 to 86400.",
    });
  });

  it("checks a TOTP code and a webhook URL before sending them", () => {
    expect(check.totp("123456")).toBeUndefined();
    expect(check.totp("12345")).toBe("Enter the 6-digit code from your authenticator app.");
    expect(check.webhookUrl("https://example.com/hook")).toBeUndefined();
    expect(check.webhookUrl("example.com")).toBe("Enter a full URL, like https://example.com/stride.");
    expect(check.webhookUrl("ftp://example.com")).toBe("Enter an https:// URL.");
  });
});

describe("imports", () => {
  it("names an import error's record for people", () => {
    expect(check.recordName("weights.3.measured_at")).toBe("Weight 4, measured_at");
    expect(check.recordName("weights.1.measured_at", true)).toBe("Row 3, measured_at");
    expect(check.recordName("row 5")).toBe("Row 5");
  });

  it("takes only a .json or .csv of at most 4 MB", () => {
    expect(check.importFile({ name: "export.json", size: 10 })).toBeUndefined();
    expect(check.importFile({ name: "photo.png", size: 10 })).toContain("neither a Stride export");
    expect(check.importFile({ name: "big.csv", size: 4 * 1024 * 1024 })).toBeUndefined();
    expect(check.importFile({ name: "big.csv", size: 4 * 1024 * 1024 + 1 })).toContain("larger than 4 MB");
  });
});
