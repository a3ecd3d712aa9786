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

export const ROW_STATUS: Record<string, { label: string; tone: Tone }> = {
  LOOKUP: { label: "Checking", tone: "attention" },
  VALID: { label: "Valid", tone: "info" },
  INVALID: { label: "Invalid", tone: "critical" },
  APPLIED: { label: "Imported", tone: "success" },
  UNDONE: { label: "Undone", tone: undefined },
};
