import { z } from "zod";
import type { PickedResource } from "./campaigns";

/**
 * Shared pieces for admin form validation. Forms post strings; these helpers turn them into typed
 * values with messages a merchant can act on, and flatten zod's issues into one message per field.
 *
 * Schemas in app/domain are built by functions, never at module level: route components import
 * constants from these modules, and a module-level zod call is a side effect the browser bundler
 * must keep, which drags zod into every admin page (test/foundation/client-bundle.test.ts).
 */

export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** String entries of a posted form (files and repeated keys other than the first are ignored). */
export function formValues(form: FormData | URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !(key in values)) values[key] = value;
  }
  return values;
}

/** The first message for each top-level field, e.g. `tiers.2.name` stays `tiers.2.name`. */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

export function parseForm<S extends z.ZodType>(schema: S, input: unknown): FormResult<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: issuesToFieldErrors(result.error.issues) };
}

/** A whole number typed into a text field, within bounds. */
export function intField(min: number, max: number, message: string) {
  return z
    .string({ error: message })
    .trim()
    .regex(/^[-+]?\d+$/, { error: message })
    .transform((value) => Number(value))
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }));
}

/** Checkboxes post "true"/"on" when ticked; anything else (or nothing) is false. */
export function checkboxField() {
  return z
    .string()
    .optional()
    .transform((value) => value === "true" || value === "on");
}

/** A short single-line label such as a name. */
export function textField(max: number, requiredMessage: string) {
  return z
    .string({ error: requiredMessage })
    .trim()
    .min(1, { error: requiredMessage })
    .max(max, { error: `Use ${max} characters or fewer` })
    .refine((value) => !/[\r\n]/.test(value), { error: "Use a single line" });
}

/**
 * What the admin's resource picker (App Bridge) posts: the chosen products or collections as JSON,
 * gids and titles, each once, in the order given.
 */
export function pickedResourcesField(
  type: "Product" | "ProductVariant" | "Collection",
  max: number,
  noun: string,
  /** Said after the limit, as "or a collection" for products. */
  alternative?: string,
) {
  return z
    .string()
    .default("")
    .transform((text, ctx): PickedResource[] => {
      if (!text.trim()) return [];
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = null;
      }
      const list = z
        .array(
          z.object({
            id: z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`)),
            title: z.string().trim().min(1).max(255),
          }),
        )
        .safeParse(value);
      if (!list.success) {
        ctx.addIssue({ code: "custom", message: `Choose the ${noun} again` });
        return z.NEVER;
      }
      if (list.data.length > max) {
        ctx.addIssue({
          code: "custom",
          message: `Choose up to ${max} ${noun}${alternative ? `, ${alternative}` : ""}`,
        });
        return z.NEVER;
      }
      return list.data.filter((p, i) => list.data.findIndex((q) => q.id === p.id) === i);
    });
}
