/** "Endgültig löschen" asks first (an alert dialog): a message deleted from the Papierkorb cannot come back. */
import { Button } from 'react-aria-components';
import { Modal } from '../components/Modal.js';
import { useT } from '../i18n/i18n.js';

export function DeleteConfirm({ isOpen, onConfirm, onClose }: { isOpen: boolean; onConfirm: () => void; onClose: () => void }) {
  const t = useT();
  return (
    <Modal title={t.message.actions.deleteTitle} isOpen={isOpen} onClose={onClose} size="narrow" role="alertdialog">
      <p>{t.message.actions.deleteText}</p>
      <div className="form__actions">
        <Button className="button button--danger" onPress={onConfirm}>
          {t.message.actions.deleteConfirm}
        </Button>
        <Button className="button button--secondary" onPress={onClose}>
          {t.common.cancel}
        </Button>
      </div>
    </Modal>
  );
}
