/**
 * Who signed the application shown: the signer of the signature that covers it (the content's coverage), never of
 * another signature in the delivery; the certificate's common name, else its whole subject.
 */
import type { Detail } from './types.js';

export function applicationSigner(detail: Detail): string | undefined {
  const content = detail.parts.find((p) => p.ref.source === 'content')?.coverage;
  if (content?.role !== 'application' || content.status !== 'signed') return undefined;
  const subject = detail.signatures[content.signatures[0] ?? -1]?.signer?.subject;
  if (subject === undefined) return undefined;
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1]?.trim() ?? subject;
}
