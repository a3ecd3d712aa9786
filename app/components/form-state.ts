import { useCallback, useState } from "react";

/**
 * Local edits on top of what the loader returned. When the server's values change (after a save,
 * or a revalidation that brings newer data) they become the new baseline.
 */
export function useFormState<T extends Record<string, unknown>>(initial: T) {
  const initialKey = JSON.stringify(initial);
  const [baseline, setBaseline] = useState(initialKey);
  const [values, setValues] = useState<T>(initial);
  if (baseline !== initialKey) {
    setBaseline(initialKey);
    setValues(initial);
  }
  const set = useCallback(
    <K extends keyof T>(field: K) =>
      (value: T[K]) =>
        setValues((current) => ({ ...current, [field]: value })),
    [],
  );
  const reset = useCallback(() => setValues(JSON.parse(initialKey) as T), [initialKey]);
  const dirty = JSON.stringify(values) !== initialKey;
  return { values, setValues, set, reset, dirty };
}

/** Form values as strings for a FormData post (booleans as "true"/"false", null as ""). */
export function toFormData(values: Record<string, unknown>, extra: Record<string, string> = {}) {
  const form = new FormData();
  for (const [key, value] of Object.entries(values)) {
    form.set(key, value === null || value === undefined ? "" : String(value));
  }
  for (const [key, value] of Object.entries(extra)) form.set(key, value);
  return form;
}
