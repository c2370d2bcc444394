/**
 * The signature result as an icon WITH words (a colour or an icon alone never carries the meaning): valid and
 * trusted, valid with an unknown issuer, invalid ("nicht verwenden"), not signed, not checkable.
 */
import type { SignatureStatus } from '../../../core/api/contract/mailbox.js';
import { useWords } from '../i18n/i18n.js';
import { IconCheck, IconCross, IconDash, IconQuestion, IconWarning } from './Icons.js';

const icons: Readonly<Record<SignatureStatus, typeof IconCheck>> = {
  trusted: IconCheck,
  'unknown-issuer': IconWarning,
  invalid: IconCross,
  unsigned: IconDash,
  'not-checkable': IconQuestion,
};

export function signatureTone(status: SignatureStatus | null): 'ok' | 'warn' | 'bad' | 'neutral' {
  if (status === 'trusted') return 'ok';
  if (status === 'invalid') return 'bad';
  // "nicht signiert" is a warning, not a neutral fact: nothing proves where the application came from
  if (status === 'unknown-issuer' || status === 'not-checkable' || status === 'unsigned') return 'warn';
  return 'neutral';
}

export function SignatureBadge({ status, long = false }: { status: SignatureStatus | null; long?: boolean }) {
  // the words of the one words module (core/domain/words): the CLI and the PDF say the same
  const words = useWords();
  if (status === null) return <span className="sig sig--neutral">{words.signatureStatusNone}</span>;
  const Icon = icons[status];
  return (
    <span className={`sig sig--${signatureTone(status)}`} data-signature={status}>
      <Icon />
      <span>{long ? words.signatureStatus[status] : words.signatureStatusShort[status]}</span>
    </span>
  );
}
