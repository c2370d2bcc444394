/**
 * A modal dialog (React Aria: focus trapped and returned, Escape closes, the rest of the window inert) with a
 * heading and a close button. Used for settings, the audit log, the about box, confirmations and the help dialog.
 */
import type { ReactNode } from 'react';
import { Button, Dialog, Heading, Modal as AriaModal, ModalOverlay } from 'react-aria-components';
import { useT } from '../i18n/i18n.js';

export interface ModalProps {
  readonly title: string;
  readonly isOpen: boolean;
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** wide: settings, audit log; narrow: confirmations. */
  readonly size?: 'narrow' | 'wide';
  /** alertdialog for confirmations of destructive actions. */
  readonly role?: 'dialog' | 'alertdialog';
  readonly dismissable?: boolean;
  readonly testId?: string;
}

export function Modal({ title, isOpen, onClose, children, size = 'wide', role = 'dialog', dismissable = true, testId }: ModalProps) {
  const t = useT();
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={isOpen}
      onOpenChange={(open) => (open ? undefined : onClose())}
      isDismissable={dismissable}
      isKeyboardDismissDisabled={!dismissable}
    >
      <AriaModal className={`modal modal--${size}`}>
        <Dialog className="modal__dialog" role={role} data-testid={testId}>
          <header className="modal__header">
            <Heading slot="title" level={1} className="modal__title">
              {title}
            </Heading>
            {dismissable ? (
              <Button className="button button--quiet" onPress={onClose}>
                {t.common.close}
              </Button>
            ) : null}
          </header>
          <div className="modal__body">{children}</div>
        </Dialog>
      </AriaModal>
    </ModalOverlay>
  );
}
