/**
 * Tells the caseworker in words that the background service ended and was started again (`service.restarted`):
 * why (its memory, or a crash), during which work on which message, that nothing was lost, that this work is not
 * run on that message again, and what to do now (open the mailbox again if asked; restart the program if the
 * service did not come back). An alert dialog, acknowledged with "Verstanden".
 */
import { Button } from 'react-aria-components';
import { HEAVY_OPERATION_WORDS } from '../../../core/api/contract/heavy-operations.js';
import { Modal } from '../components/Modal.js';
import { useLanguage } from '../i18n/i18n.js';
import { useWorkspace } from '../state/workspace.js';

export function ServiceIncidentNotice() {
  const { t, language } = useLanguage();
  const { serviceIncident: incident, acknowledgeServiceIncident } = useWorkspace();
  if (incident === undefined) return null;
  const onMessage = incident.operations.find((o) => o.messageId !== undefined);
  const other = incident.operations[0];
  return (
    <Modal
      title={incident.restarted ? t.service.restartedTitle : t.service.stoppedTitle}
      isOpen
      onClose={acknowledgeServiceIncident}
      size="narrow"
      role="alertdialog"
      testId="service-incident"
    >
      <p>
        {incident.reason === 'memory' ? t.service.memory : t.service.crashed}{' '}
        {onMessage !== undefined
          ? t.service.during(HEAVY_OPERATION_WORDS[onMessage.operation][language], onMessage.storeId, onMessage.messageId ?? '')
          : other !== undefined
            ? t.service.duringOther(HEAVY_OPERATION_WORDS[other.operation][language])
            : null}
      </p>
      <p>{t.service.kept}</p>
      {incident.quarantined ? <p>{t.service.quarantined}</p> : null}
      <p>{incident.restarted ? t.service.reopen : t.service.restart}</p>
      <div className="form__actions">
        <Button className="button" onPress={acknowledgeServiceIncident} autoFocus>
          {t.service.understood}
        </Button>
      </div>
    </Modal>
  );
}
