import { describe, expect, it } from "vitest";
import { isoWeek } from "../src/dashboard";
import { qrModules } from "../src/data";
import { duration } from "../src/videos";

describe("weeks, lengths and codes as the screens show them", () => {
  it("names ISO weeks as the API does, across a year's end", () => {
    expect(isoWeek("2026-01-01")).toBe("2026-W01");
    expect(isoWeek("2027-01-01")).toBe("2026-W53");
    expect(isoWeek("2024-12-30")).toBe("2025-W01");
  });

  it("shows a video's length as minutes and seconds", () => {
    expect(duration(4)).toBe("0:04");
    expect(duration(754)).toBe("12:34");
  });

  it("draws a square QR code of the otpauth URI, the same each time", () => {
    const uri = "otpauth://totp/Stride:a%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Stride";
    const modules = qrModules(uri);
    expect(modules.length).toBeGreaterThanOrEqual(21);
    expect(modules.every((row) => row.length === modules.length)).toBe(true);
    expect(modules[0].slice(0, 7)).toEqual([true, true, true, true, true, true, true]); // a finder pattern
    expect(qrModules(uri)).toEqual(modules);
  });
});
