import { Modal, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/**
 * The edit pages of things a merchant can switch on and off and delete (rewards, campaigns):
 * the page's secondary actions, and the confirmation a delete asks for. Each posts an `intent`
 * to the page's action ("toggle" with `enabled`, "delete").
 */

export function toggleAndDeleteActions(options: {
  enabled: boolean;
  enableLabel: string;
  disableLabel: string;
  deleteLabel: string;
  busy: boolean;
  submit: (data: Record<string, string>) => void;
  confirmDelete: () => void;
}) {
  return [
    {
      content: options.enabled ? options.disableLabel : options.enableLabel,
      disabled: options.busy,
      onAction: () => options.submit({ intent: "toggle", enabled: String(!options.enabled) }),
    },
    {
      content: options.deleteLabel,
      destructive: true,
      disabled: options.busy,
      onAction: options.confirmDelete,
    },
  ];
}

export function ConfirmDeleteModal(props: {
  open: boolean;
  title: string;
  deleteLabel: string;
  busy: boolean;
  onClose: () => void;
  submit: (data: Record<string, string>) => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open={props.open}
      onClose={props.onClose}
      title={props.title}
      primaryAction={{
        content: props.deleteLabel,
        destructive: true,
        loading: props.busy,
        onAction: () => {
          props.submit({ intent: "delete" });
          props.onClose();
        },
      }}
      secondaryActions={[{ content: "Cancel", onAction: props.onClose }]}
    >
      <Modal.Section>
        <Text as="p">{props.children}</Text>
      </Modal.Section>
    </Modal>
  );
}
