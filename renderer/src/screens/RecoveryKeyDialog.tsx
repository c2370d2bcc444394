/**
 * The recovery key, shown once right after the store was created: it opens the store when the OS key store or the
 * password no longer does (a reset Windows profile). The caseworker must confirm having written it down; it is
 * not kept anywhere in clear.
 */
import { useState } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { CopyButton } from '../components/CopyButton.js';
import { Modal } from '../components/Modal.js';
import { useT } from '../i18n/i18n.js';

export function RecoveryKeyDialog({ recoveryKey, onDone }: { recoveryKey: string; onDone: () => void }) {
  const t = useT();
  const [confirmed, setConfirmed] = useState(false);
  return (
    <Modal title={t.recovery.title} isOpen onClose={() => undefined} size="narrow" dismissable={false} testId="recovery-dialog">
      <p>{t.recovery.intro}</p>
      <p className="recovery-key mono" data-testid="recovery-key">
        {recoveryKey}
      </p>
      <p>{t.recovery.instruction}</p>
      <CopyButton text={recoveryKey} label={t.recovery.copy} announce={t.common.copied} className="button button--secondary" showText />
      <Checkbox className="checkbox" isSelected={confirmed} onChange={setConfirmed}>
        <span className="checkbox__box" aria-hidden="true" />
        {t.recovery.confirm}
      </Checkbox>
      <div className="form__actions">
        <Button className="button" isDisabled={!confirmed} onPress={onDone}>
          {t.recovery.done}
        </Button>
      </div>
    </Modal>
  );
}
