import { useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";

type Tone = "info" | "success" | "warning" | "critical" | "attention" | undefined;

/** Labels always carry the meaning; the tone only adds colour. */
export const IMPORT_STATUS: Record<string, { label: string; tone: Tone }> = {
  VALIDATING: { label: "Checking rows", tone: "attention" },
  VALIDATED: { label: "Dry run ready", tone: "info" },
  APPLYING: { label: "Importing", tone: "attention" },
  APPLIED: { label: "Imported", tone: "success" },
  UNDOING: { label: "Undoing", tone: "attention" },
  UNDONE: { label: "Undone", tone: undefined },
};

/** Statuses in which the worker still has work to do on the batch. */
export const IMPORT_RUNNING: ReadonlySet<string> = new Set(["VALIDATING", "APPLYING", "UNDOING"]);

export const ROW_STATUS: Record<string, { label: string; tone: Tone }> = {
  LOOKUP: { label: "Checking", tone: "attention" },
  VALID: { label: "Valid", tone: "info" },
  INVALID: { label: "Invalid", tone: "critical" },
  APPLIED: { label: "Imported", tone: "success" },
  UNDONE: { label: "Undone", tone: undefined },
};

/**
 * Reloads the page's loader data every `everyMs` while `active` (work the worker is doing: an
 * import, a tier re-evaluation) and the tab is visible, and at once when the tab comes back.
 */
export function useRevalidateWhile(active: boolean, everyMs = 1_500) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const latest = useRef({ revalidator, navigation });
  useEffect(() => {
    latest.current = { revalidator, navigation };
  });
  useEffect(() => {
    if (!active) return;
    const refresh = () => {
      const { revalidator, navigation } = latest.current;
      // A navigation or submission in flight reloads the data anyway.
      if (document.visibilityState !== "visible") return;
      if (revalidator.state === "idle" && navigation.state === "idle") revalidator.revalidate();
    };
    const timer = setInterval(refresh, everyMs);
    document.addEventListener("visibilitychange", refresh);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", refresh);
    };
  }, [active, everyMs]);
}
