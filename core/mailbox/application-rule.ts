/**
 * The rule that picks the application shown from a decrypted delivery (README "Welcher Inhalt ist der Antrag?",
 * docs/ARCHITECTURE.md decisions), and what every other part is:
 *
 *  1. Candidates are the XSozial documents: the Base64Content and inline contents that are XML (first character
 *     `<`); when none is XML, every non-attachment content is a candidate (so a broken content still ends in its
 *     own "nicht lesbar" reason).
 *  2. Exactly one distinct candidate (by SHA-256) is covered by a valid author signature → it is the application,
 *     with that signature's trust words. Several distinct ones → `content-ambiguous` ("nicht lesbar").
 *  3. None covered, exactly one distinct candidate → it is shown, marked "nicht signiert" everywhere, never with
 *     trust words. None covered and several → `content-ambiguous`.
 *  4. Every other part keeps its own status: an attachment of the application is what the application's signature
 *     covers (or, unsigned, what its container holds); anything else is an extra part — signed by another
 *     signature, unsigned, not covered, altered, encrypted by someone else, or a byte-identical duplicate.
 *
 * A signature that does not verify (its value, or a digest over anything but an attachment) is decided before this
 * rule, by the caller: the delivery is "nicht lesbar" as before.
 */
import { PostfachError } from '../errors.js';
import type { CoverageStatus as PartStatus, PartRole } from '../domain/coverage.js';
import { readAll, type ByteSource } from '../io/byte-source.js';
import type { ContentSignatureInfo } from '../osci/content/decode.js';
import type { ContentCoverage, ItemCoverage } from '../osci/content/coverage.js';

export interface Part {
  readonly coverage: ItemCoverage;
  readonly role: Exclude<PartRole, 'received'>;
  readonly status: Exclude<PartStatus, 'before-coverage'>;
  /** The signatures that vouch for this part (empty unless `signed`). */
  readonly signatures: readonly ContentSignatureInfo[];
}

export type Choice =
  | {
      readonly kind: 'application';
      readonly application: Part;
      /** The application's signatures (empty: shown as "nicht signiert"). */
      readonly signatures: readonly ContentSignatureInfo[];
      /** Every part in document order, the application included. */
      readonly parts: readonly Part[];
    }
  | { readonly kind: 'ambiguous'; readonly parts: readonly Part[]; readonly error: PostfachError }
  | { readonly kind: 'none'; readonly parts: readonly Part[]; readonly error: PostfachError };

export async function looksLikeXml(source: ByteSource): Promise<boolean> {
  const text = (await readAll(source, 64, { start: 0, end: Math.min(64, source.size) }))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return text.startsWith('<');
}

function firstOfEachSha(items: readonly ItemCoverage[]): ItemCoverage[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.item.sha256) ? false : (seen.add(i.item.sha256), true)));
}

/** The status of a part that is not the application, from its own coverage. */
function ownStatus(c: ItemCoverage): Part['status'] {
  return c.status === 'covered' ? 'signed' : c.status;
}

export function ambiguousError(count: number): PostfachError {
  return new PostfachError(
    'content-ambiguous',
    {
      de: 'Die Zustellung enthält mehrere verschiedene Anträge; welcher gilt, ist nicht eindeutig. Alle Teile sind gespeichert.',
      en: 'The delivery holds several different applications; which one counts is not clear. Every part is stored.',
    },
    `${count} distinct XSozial documents qualify as the application`,
  );
}

export async function chooseApplication(coverage: ContentCoverage): Promise<Choice> {
  const leaves = coverage.items;
  const documents = leaves.filter((c) => c.item.kind !== 'attachment');
  const xml: ItemCoverage[] = [];
  for (const c of documents) if (await looksLikeXml(c.item.data)) xml.push(c);
  const candidates = xml.length > 0 ? xml : documents;
  const extraOf = (c: ItemCoverage): Part => ({ coverage: c, role: 'extra', status: ownStatus(c), signatures: c.coveredBy });

  if (candidates.length === 0) {
    return {
      kind: 'none',
      parts: leaves.map(extraOf),
      error: new PostfachError(
        'no-content',
        { de: 'Die Zustellung enthält keinen Inhalt.', en: 'The delivery holds no content.' },
        'no Base64Content or inline content in any container',
      ),
    };
  }
  const signed = firstOfEachSha(candidates.filter((c) => c.status === 'covered'));
  let chosen: ItemCoverage;
  if (signed.length === 1) chosen = signed[0]!;
  else {
    const distinct = signed.length > 1 ? signed : firstOfEachSha(candidates);
    if (distinct.length !== 1) return { kind: 'ambiguous', parts: leaves.map(extraOf), error: ambiguousError(distinct.length) };
    chosen = distinct[0]!;
  }

  const appSignatures = chosen.coveredBy;
  const isSigned = appSignatures.length > 0;
  const parts: Part[] = leaves.map((c) => {
    if (c === chosen) return { coverage: c, role: 'application', status: isSigned ? 'signed' : ownStatus(c), signatures: appSignatures };
    const byApplication = isSigned ? c.coveredBy.some((s) => appSignatures.includes(s)) : false;
    if (byApplication) return { coverage: c, role: 'attachment', status: 'signed', signatures: c.coveredBy };
    // the application's own slots with the wrong bytes (altered, swapped, encrypted by someone else) stay its attachments, flagged
    const brokenSlot = isSigned && c.brokenBy.some((s) => appSignatures.includes(s));
    const unsignedSibling = !isSigned && c.container === chosen.container && c.coveredBy.length === 0;
    if (brokenSlot || (c.status === 'undecryptable' && c.container === chosen.container) || unsignedSibling) {
      return { coverage: c, role: 'attachment', status: ownStatus(c), signatures: c.coveredBy };
    }
    return extraOf(c);
  });
  // byte-identical copies of the application's parts (a duplicated signed container) are flagged as such
  const genuine = new Set(parts.filter((p) => p.role !== 'extra').map((p) => p.coverage.item.sha256));
  const flagged = parts.map((p): Part => (p.role === 'extra' && genuine.has(p.coverage.item.sha256) ? { ...p, status: 'duplicate' } : p));
  return { kind: 'application', application: flagged.find((p) => p.role === 'application')!, signatures: appSignatures, parts: flagged };
}
