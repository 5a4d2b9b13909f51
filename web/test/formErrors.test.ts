import { describe, expect, it } from "vitest";
import { errorsAfterEdit } from "../src/formErrors";

const validate = (values: { weight: string; note: string }) => {
  const errors: Record<string, string> = {};
  if (!/^\d+(\.\d+)?$/.test(values.weight)) errors.weight = "Enter a number.";
  else if (Number(values.weight) < 20) errors.weight = "Enter at least 20.";
  return errors;
};

describe("a field's error once the field is edited", () => {
  it("goes when the field is fixed, and the other fields' errors stay", () => {
    const errors = { weight: "Enter a number.", note: "Too long." };
    expect(errorsAfterEdit(errors, "weight", { weight: "80", note: "x" }, validate)).toEqual({ note: "Too long." });
  });

  it("says what is wrong now while the field is still wrong", () => {
    expect(errorsAfterEdit({ weight: "Enter a number." }, "weight", { weight: "5", note: "" }, validate)).toEqual({ weight: "Enter at least 20." });
  });

  it("goes on an edit when only the API could tell (no check to run again)", () => {
    expect(errorsAfterEdit({ weight: "Taken." }, "weight", { weight: "80", note: "" })).toEqual({});
  });

  it("changes nothing for a field without an error", () => {
    const errors = { weight: "Enter a number." };
    expect(errorsAfterEdit(errors, "note", { weight: "x", note: "y" }, validate)).toBe(errors);
  });
});
