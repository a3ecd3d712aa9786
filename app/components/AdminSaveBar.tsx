import { SaveBar } from "@shopify/app-bridge-react";

/**
 * Shopify admin's contextual save bar (it lives outside our iframe). Pages also keep an in-page
 * Save button, so the form works with a keyboard and in tests without the admin chrome.
 */
export function AdminSaveBar({
  id,
  open,
  saving,
  onSave,
  onDiscard,
}: {
  id: string;
  open: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  return (
    <SaveBar id={id} open={open}>
      <button variant="primary" onClick={onSave} loading={saving ? "" : undefined}>
        Save
      </button>
      <button onClick={onDiscard} disabled={saving}>
        Discard
      </button>
    </SaveBar>
  );
}
