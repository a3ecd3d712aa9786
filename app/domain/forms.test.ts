import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  checkboxField,
  formValues,
  intField,
  issuesToFieldErrors,
  parseForm,
  textField,
} from "./forms";

describe("posted form values", () => {
  it("keeps text fields and the first of repeated keys, and drops uploaded files", () => {
    const form = new FormData();
    form.append("name", "Gold");
    form.append("name", "Silver");
    form.append("logo", new Blob(["png"]), "logo.png");
    form.append("empty", "");
    expect(formValues(form)).toEqual({ name: "Gold", empty: "" });
  });

  it("reads query strings the same way", () => {
    expect(formValues(new URLSearchParams("q=ann&page=2&q=bob"))).toEqual({ q: "ann", page: "2" });
  });
});

describe("field errors", () => {
  it("keys nested fields by their dotted path and whole-form issues by 'form'", () => {
    const schema = z
      .object({ tiers: z.array(z.object({ name: z.string().min(1, "Name it") })) })
      .refine(() => false, { error: "Something is off" });
    const result = parseForm(schema, { tiers: [{ name: "a" }, { name: "" }] });
    // A refine on the whole object has an empty path: the page shows it at the top.
    expect(result).toEqual({
      ok: false,
      errors: { "tiers.1.name": "Name it", form: "Something is off" },
    });
    expect(parseForm(schema, { tiers: [] })).toEqual({
      ok: false,
      errors: { form: "Something is off" },
    });
  });

  it("shows only the first message for a field", () => {
    expect(
      issuesToFieldErrors([
        { code: "custom", path: ["name"], message: "First", input: "" },
        { code: "custom", path: ["name"], message: "Second", input: "" },
      ]),
    ).toEqual({ name: "First" });
  });

  it("passes parsed data through on success", () => {
    expect(parseForm(z.object({ n: intField(0, 9, "x") }), { n: "7" })).toEqual({
      ok: true,
      data: { n: 7 },
    });
  });
});

describe("whole-number fields", () => {
  // Built per test, the way each form builds its schema when it parses a post.
  const days = () => z.object({ days: intField(0, 365, "Enter days from 0 to 365") });
  const error = { ok: false, errors: { days: "Enter days from 0 to 365" } };

  it("accepts the bounds, surrounding spaces and an explicit sign", () => {
    expect(parseForm(days(), { days: "0" })).toEqual({ ok: true, data: { days: 0 } });
    expect(parseForm(days(), { days: " 365 " })).toEqual({ ok: true, data: { days: 365 } });
    expect(parseForm(days(), { days: "+7" })).toEqual({ ok: true, data: { days: 7 } });
  });

  it("gives the field's own message for anything else", () => {
    // Every failure reads the same to the merchant: missing, blank, words, decimals, out of range.
    for (const bad of [undefined, "", "abc", "12abc", "abc12", "1.5", "1e3", "-1", "366", "- 1"])
      expect(parseForm(days(), { days: bad }), String(bad)).toEqual(error);
  });

  it("allows negative values only when the bounds do", () => {
    const delta = z.object({ days: intField(-10, 10, "Enter days from 0 to 365") });
    expect(parseForm(delta, { days: "-10" })).toEqual({ ok: true, data: { days: -10 } });
    expect(parseForm(delta, { days: "-11" })).toEqual(error);
  });
});

describe("checkboxes", () => {
  it("are ticked for 'true' or 'on' only", () => {
    expect(checkboxField().parse("true")).toBe(true);
    expect(checkboxField().parse("on")).toBe(true);
    for (const unticked of [undefined, "", "false", "off", "1", "TRUE"])
      expect(checkboxField().parse(unticked), String(unticked)).toBe(false);
  });
});

describe("text fields", () => {
  const label = () => z.object({ label: textField(10, "Enter a label") });

  it("trims and accepts up to the limit", () => {
    expect(parseForm(label(), { label: "  Gold  " })).toEqual({
      ok: true,
      data: { label: "Gold" },
    });
    expect(parseForm(label(), { label: "x".repeat(10) })).toEqual({
      ok: true,
      data: { label: "x".repeat(10) },
    });
  });

  it("asks for a value when missing or blank", () => {
    for (const blank of [undefined, "", "   "])
      expect(parseForm(label(), { label: blank }), String(blank)).toEqual({
        ok: false,
        errors: { label: "Enter a label" },
      });
  });

  it("refuses long and multi-line labels", () => {
    expect(parseForm(label(), { label: "x".repeat(11) })).toEqual({
      ok: false,
      errors: { label: "Use 10 characters or fewer" },
    });
    for (const multiline of ["a\nb", "a\rb"])
      expect(parseForm(label(), { label: multiline })).toEqual({
        ok: false,
        errors: { label: "Use a single line" },
      });
  });
});
