import { Button, Group, Modal } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';

// The frame and foot of the contact dialogs (add, correct, unsubscribe, complaint, erase).

/** A large dialog for a form that is built fresh each time it opens (no state left from the last time). */
export function ContactDialog({
  opened,
  onClose,
  title,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size="lg"
      closeButtonProps={{ 'aria-label': t('contacts.add.close') }}
    >
      {opened && children}
    </Modal>
  );
}

/**
 * The foot of every contact dialog: what went wrong with the last try, then cancel and the one action.
 * `onConfirm` absent means the action submits the dialog's form (Enter works).
 */
export function DialogFooter({
  error,
  pending,
  onCancel,
  onConfirm,
  color,
  disabled = false,
  children,
}: {
  error: unknown;
  pending: boolean;
  onCancel: () => void;
  onConfirm?: () => void;
  color?: string;
  disabled?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      {error !== null && error !== undefined && <ErrorNotice error={error} />}
      <Group justify="end">
        <Button variant="default" onClick={onCancel}>
          {t('contacts.cancel')}
        </Button>
        <Button
          {...(onConfirm ? { onClick: onConfirm } : { type: 'submit' as const })}
          {...(color ? { color } : {})}
          disabled={disabled}
          loading={pending}
        >
          {children}
        </Button>
      </Group>
    </>
  );
}
