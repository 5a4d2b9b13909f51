import { describe, expect, it } from "vitest";
import { newDraft, newQuestion, toBody, toDraft, type AssessmentDraft } from "../src/assessmentDraft";

function draft(change: (draft: AssessmentDraft) => void): AssessmentDraft {
  const made = newDraft();
  made.title = "Grip test";
  made.questions[0].prompt = "Seconds hanging from a bar";
  change(made);
  return made;
}

describe("an assessment written in the editor", () => {
  it("becomes the body the API takes", () => {
    const { body, errors } = toBody(draft(() => {}));
    expect(errors).toEqual({});
    expect(body).toEqual({
      title: "Grip test",
      questions: [{ id: "question_1", prompt: "Seconds hanging from a bar", type: "integer", required: true, weight: 1, min: 0, max: 10 }],
    });
  });

  it("keeps only the fields of the question's type", () => {
    const { body, errors } = toBody(
      draft((d) => {
        d.questions[0].type = "choice";
        d.questions[0].choices = [
          { value: "no", label: "Not yet", points: "0" },
          { value: "yes", label: "Yes", points: "100" },
        ];
        d.questions.push({ ...newQuestion(1), type: "boolean", prompt: "Can you jog?" });
      }),
    );
    expect(errors).toEqual({});
    expect(body.questions[0]).toEqual({
      id: "question_1",
      prompt: "Seconds hanging from a bar",
      type: "choice",
      required: true,
      weight: 1,
      choices: [
        { value: "no", label: "Not yet", points: 0 },
        { value: "yes", label: "Yes", points: 100 },
      ],
    });
    expect(body.questions[1]).toEqual({ id: "question_2", prompt: "Can you jog?", type: "boolean", required: true, weight: 1, true_points: 100, false_points: 0 });
  });

  it("names each error by the API's path, beside its field", () => {
    const { errors } = toBody(
      draft((d) => {
        d.title = " ";
        d.questions[0].id = "Bad id";
        d.questions[0].min = "10";
        d.questions[0].max = "5";
        d.questions.push({ ...newQuestion(1), type: "choice", prompt: "Pick", choices: [{ value: "a", label: "", points: "101" }, { value: "a", label: "A", points: "1" }] });
      }),
    );
    expect(errors).toMatchObject({
      title: "Give the assessment a title.",
      "questions.0.id": expect.stringContaining("Lower-case"),
      "questions.0.max": "Must be greater than the minimum.",
      "questions.1.choices.0.label": expect.any(String),
      "questions.1.choices.0.points": "From 0 to 100.",
      "questions.1.choices": "Choice values must be unique.",
    });
  });

  it("refuses what the API refuses for the assessment as a whole", () => {
    expect(toBody(draft((d) => (d.questions[0].weight = "0"))).errors.questions).toContain("weight above 0");
    expect(toBody(draft((d) => d.questions.push({ ...newQuestion(0), prompt: "Again" }))).errors.questions).toContain("unique: question_1");
    expect(toBody(draft((d) => (d.questions[0].zero_at = "11"))).errors["questions.0.zero_at"]).toContain("between");
    expect(toBody(draft((d) => (d.questions[0].min = "1.5"))).errors["questions.0.min"]).toBeDefined();
  });

  it("reads a stored assessment back into the editor unchanged", () => {
    const stored = {
      id: "01KAAAAAAAAAAAAAAAAAAAAAAA",
      built_in: false,
      title: "Grip test",
      description: "Before your first session.",
      questions: [{ id: "hang", prompt: "Seconds", type: "number" as const, required: false, weight: 2, min: 0, max: 120.5, full_at: 60 }],
    };
    const { body, errors } = toBody(toDraft(stored));
    expect(errors).toMatchObject({ questions: expect.stringContaining("weight above 0") }); // the only question is optional
    expect(body.questions[0]).toEqual({ id: "hang", prompt: "Seconds", type: "number", required: false, weight: 2, min: 0, max: 120.5, full_at: 60 });
    expect(body.description).toBe("Before your first session.");
  });
});
