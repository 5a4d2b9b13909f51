import { describe, expect, it } from "vitest";
import * as check from "../src/validation";
import { convertWeight, distanceMetres, heightBounds, heightCm, heightUnit, shownDistance, shownHeight, weightUnit } from "../src/units";

describe("units from the preferences, converted in one place", () => {
  it("names each measure's unit for metric and imperial", () => {
    expect([weightUnit("metric"), heightUnit("metric")]).toEqual(["kg", "cm"]);
    expect([weightUnit("imperial"), heightUnit("imperial")]).toEqual(["lb", "in"]);
  });

  it("converts weights both ways", () => {
    expect(convertWeight(80, "kg", "lb")).toBe(176.4);
    expect(convertWeight(176.4, "lb", "kg")).toBe(80);
    expect(convertWeight(80.25, "kg", "kg")).toBe(80.3);
  });

  it("shows a stored height in inches for imperial and stores what was typed as cm", () => {
    expect(shownHeight(180, "imperial")).toBe("70.9");
    expect(shownHeight(180, "metric")).toBe("180");
    expect(shownHeight(null, "imperial")).toBe("");
    expect(heightCm(70.9, "imperial")).toBe(180.1);
    expect(heightCm(180, "metric")).toBe(180);
  });

  it("keeps the API's height bounds in either unit, so a valid entry is never refused by the API", () => {
    const [low, high] = heightBounds("imperial");
    expect(heightCm(low, "imperial")).toBeGreaterThanOrEqual(50);
    expect(heightCm(high, "imperial")).toBeLessThanOrEqual(272);
    expect(check.profile({ display_name: "", height_cm: "71", birth_date: "", bio: "" }, "UTC", "imperial")).toEqual({});
    expect(check.profile({ display_name: "", height_cm: "180", birth_date: "", bio: "" }, "UTC", "imperial").height_cm).toBe(
      `Enter a height from ${low} to ${high} in.`,
    );
    expect(check.profile({ display_name: "", height_cm: "180", birth_date: "", bio: "" }, "UTC", "metric")).toEqual({});
  });

  it("converts distances between metres and km or miles", () => {
    expect(shownDistance(5000, "metric")).toBe(5);
    expect(shownDistance(5000, "imperial")).toBe(3.11);
    expect(distanceMetres(3.1, "imperial")).toBe(4989);
    expect(distanceMetres(10, "metric")).toBe(10000);
  });
});
