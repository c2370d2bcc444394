/**
 * "Vollständige Bezeichnung": the benefit product's full name under the short title, shown on request (a toggle
 * button with aria-expanded), so a 140-character product name does not push the application's data off screen.
 */
import { useId, useState } from 'react';
import { Button } from 'react-aria-components';
import { Shown } from '../components/Shown.js';
import { useT } from '../i18n/i18n.js';

export function BenefitFullName({ name }: { name: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <p className="message__fullname">
      <Button className="button button--link" aria-expanded={open} aria-controls={id} onPress={() => setOpen((o) => !o)} data-testid="benefit-full-name-toggle">
        {open ? t.mailbox.space.hideFullName : t.mailbox.space.fullName}
      </Button>
      <span id={id} hidden={!open} className="message__fullname-text" data-testid="benefit-full-name">
        {' '}
        <Shown text={name} />
      </span>
    </p>
  );
}
