/**
 * The realistic delivery of issue 14, made once and kept: a test PKI (RSA-3072), the local intermediary in this
 * process, one generated XSozial-basis application (Hilfe zum Lebensunterhalt, about 290 KB with its inline
 * documents) with two 200 KB evidence files as content-encrypted OSCI attachments, sent and fetched again in an
 * explicit dialog; the ResponseToFetchDelivery body is written to a file exactly as it arrived (about 950 KB).
 * The decode and fetch benchmarks read it from there.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { collectToBuffer } from '../core/io/byte-source.js';
import { ExplicitDialog, type PostFunction } from '../core/osci/client/dialog.js';
import { httpTransport } from '../core/mailbox/transport.js';
import { createTestPki, loadTestPki } from '../core/pki/test-pki.js';
import { loadIntermediaryKeys } from '../intermediary/keys.js';
import { startIntermediary } from '../intermediary/server.js';
import { loadSenderSetup, sendApplications } from '../intermediary/sender/send.js';

export interface DeliverySample {
  readonly pkiDir: string;
  /** The ResponseToFetchDelivery body as received. */
  readonly responseFile: string;
  readonly responseBytes: number;
}

/** Makes the sample in `dir` (or reuses one made there before). */
export async function deliverySample(dir: string, options: { attachmentBytes?: number; attachments?: number } = {}): Promise<DeliverySample> {
  const pkiDir = path.join(dir, 'pki');
  const responseFile = path.join(dir, 'fetch-delivery.response.http-body');
  if (existsSync(responseFile)) {
    const { statSync } = await import('node:fs');
    return { pkiDir, responseFile, responseBytes: statSync(responseFile).size };
  }
  mkdirSync(dir, { recursive: true });
  await createTestPki(pkiDir, { force: true });
  const running = await startIntermediary({ port: 0, dataDir: path.join(dir, 'intermediary'), keys: loadIntermediaryKeys({ pkiDir }) });
  try {
    await sendApplications({
      intermediaryUrl: running.url,
      setup: loadSenderSetup({ pkiDir }),
      service: 'hzl',
      seed: 'issue-14',
      sentAt: new Date('2026-11-28T09:00:00Z'),
      attachments: options.attachments ?? 2,
      attachmentSize: options.attachmentBytes ?? 200_000,
    });
    const pki = loadTestPki(pkiDir);
    const http = httpTransport({ url: running.url, proxy: { mode: 'direct' } });
    let last: Buffer | undefined;
    const post: PostFunction = async (body) => {
      const response = await http(body);
      const received = await collectToBuffer(response, 64 * 1024 * 1024);
      last = received;
      return (async function* () {
        yield received;
      })();
    };
    const dialog = await ExplicitDialog.open({
      post,
      cipherKey: pki.municipality,
      signatureKey: pki.municipality,
      intermediaryCertificate: pki.intermediary.certificate,
      intermediarySigner: { pinned: [pki.intermediary.certificate] },
    });
    const delivery = await dialog.fetchDelivery();
    if (!delivery) throw new Error('the intermediary offered no delivery');
    const body = last!;
    dialog.confirmPersisted();
    await dialog.exit();
    await dialog.release();
    writeFileSync(responseFile, body);
    return { pkiDir, responseFile, responseBytes: body.length };
  } finally {
    await running.close();
  }
}
