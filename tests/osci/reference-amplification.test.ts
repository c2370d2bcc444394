/**
 * XML-DSig references are digested before the signature value is checked, and the sender chooses them. A URI named
 * twice in one SignedInfo, or many signatures of one container naming the same large Content, each had the target
 * canonicalised and hashed anew: work the message decides (reference amplification). A URI named twice is refused
 * as hostile-xml; the signatures verified over one document share their digests (DigestMemo).
 */
import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { DigestMemo, verifySignature } from '../../core/osci/signature/verify.js';
import { parseXml } from '../../core/osci/xml/parse.js';
import { NS } from '../../core/osci/xml/namespaces.js';

const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';

function signature(references: readonly string[]): string {
  const refs = references
    .map((uri) => `<ds:Reference URI="${uri}"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference>`)
    .join('');
  return `<ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${C14N}"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>${refs}</ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>`;
}

/** A 4 MB element (many small elements: nothing kept out of the DOM) and the given signatures beside it. */
function document(signatures: readonly string[]) {
  const big = `<big Id="big">${'<p>Musterfrau Erika, Hauptstraße 1</p>'.repeat(110_000)}</big>`;
  const parsed = parseXml(`<root xmlns:ds="${NS.ds}">${big}${signatures.join('')}</root>`);
  const sigs: Element[] = [];
  for (let c = parsed.root.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && (c as Element).localName === 'Signature') sigs.push(c as Element);
  return { parsed, sigs };
}

function context(parsed: ReturnType<typeof parseXml>, digests?: DigestMemo) {
  return {
    resolveId: (id: string) => parsed.ids.get(id),
    resolveCid: async () => undefined,
    resolveCertificate: () => undefined,
    ...(digests ? { digests } : {}),
  };
}

function cpuMs(started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

describe('references that repeat a target', () => {
  it('refuses a URI named twice in one SignedInfo before digesting it again', async () => {
    const { parsed, sigs } = document([signature(Array.from({ length: 300 }, () => '#big'))]);
    const started = process.cpuUsage();
    await expect(verifySignature(sigs[0]!, context(parsed))).rejects.toMatchObject({ kind: 'hostile-xml', detail: 'signature: reference #big appears twice' });
    // one digest of 4 MB, not 300
    expect(cpuMs(started)).toBeLessThan(3_000);
  }, 120_000);

  it('digests a target once for all signatures that share a DigestMemo', async () => {
    const { parsed, sigs } = document(Array.from({ length: 300 }, () => signature(['#big'])));
    const digests = new DigestMemo();
    const started = process.cpuUsage();
    for (const sig of sigs) {
      // no signer certificate: refused after the references were digested, as a missing KeyInfo is
      await expect(verifySignature(sig, context(parsed, digests))).rejects.toMatchObject({ kind: 'malformed' });
    }
    expect(cpuMs(started)).toBeLessThan(3_000);
  }, 120_000);
});
