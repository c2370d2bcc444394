/** The viewers' "Drehen" button: a quarter turn clockwise; R (Umschalt+R back) while the viewer has focus. */
import { Button } from 'react-aria-components';
import { useT } from '../i18n/i18n.js';

export function RotateButton({ onTurn, label }: { onTurn: () => void; label?: string }) {
  const t = useT();
  return (
    <Button className="button button--icon" onPress={onTurn} aria-label={label ?? t.mailbox.space.rotate} data-testid="viewer-rotate">
      <span title={`${label ?? t.mailbox.space.rotate} (R)`} aria-hidden="true" className="viewer__rotate">
        ↻
      </span>
    </Button>
  );
}
