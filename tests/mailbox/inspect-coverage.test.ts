/**
 * `postfach inspect` on what a hostile sender or intermediary produces (issue 10): a container whose signature
 * leaves a Content out is reported per content (`coverage`) and fails (`signature-incomplete`) unless
 * `--allow-uncovered-content`; a message whose ClientSignature or SupplierSignature was stripped (and its formerly
 * signed Subject changed) fails with `signature-missing` when `--trusted-signer` names who must have signed it.
 * The messages are real: recorded on their way to and from the local intermediary.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../core/io/byte-source.js';
import { httpTransport } from '../../core/mailbox/transport.js';
import type { PostFunction } from '../../core/osci/client/dialog.js';
import { decodeMessage } from '../../core/osci/decode.js';
import { loadPkcs12 } from '../../core/pki/pkcs12.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { loadSenderSetup, type RunningIntermediary } from '../../intermediary/index.js';
import { generateApplication } from '../../intermediary/generator/index.js';
import { ensureBuilt, pkiPassword, postfach, sharedPki, startTestIntermediary, tempDir } from './helpers.js';
import { forgedApplication, forgedEvidence, sendWithUncoveredContent } from './hostile.js';

const root = tempDir('postfach-inspect-coverage-');
let pkiDir = '';
let intermediary: RunningIntermediary;
const recorded: Array<{ request: Buffer; response: Buffer }> = [];

interface Report {
  ok: boolean;
  error?: { kind: string };
  messageType: string;
  subject: string | null;
  signature: { present: boolean; valid: boolean; pinned: boolean };
  coverage: Array<{ container: string; id: string | null; kind: string; status: string; signedBy: Array<string | null> }>;
}

async function inspect(file: string, extra: string[] = []): Promise<{ status: number | null; report: Report }> {
  const f = testPkiFiles(pkiDir);
  const run = await postfach(['inspect', file, '--p12', f.intermediary.p12, '--p12', f.municipality.p12, '--p12', f.sender.p12, '--password-env', 'P12', '--json', ...extra], {
    P12: pkiPassword(pkiDir),
  });
  return { status: run.status, report: JSON.parse(run.stdout) as Report };
}

/** The unencrypted inner message of a recorded body (decrypted with the key it was encrypted for). */
async function innerOf(body: Buffer, p12: string): Promise<Buffer> {
  const keys = loadPkcs12(readFileSync(p12), pkiPassword(pkiDir)).keys;
  const decoded = await decodeMessage(bufferSource(body), { keys });
  try {
    const parts: Buffer[] = [];
    for await (const c of decoded.inner.stream()) parts.push(Buffer.from(c));
    return Buffer.concat(parts);
  } finally {
    await decoded.release();
  }
}

/** The message signature taken out, and the Subject it signed changed (what a hostile party would do). */
function stripped(inner: Buffer, wrapper: 'ClientSignature' | 'SupplierSignature'): Buffer {
  const text = inner.toString('latin1');
  const start = text.indexOf(`<osci:${wrapper}`);
  const endTag = `</osci:${wrapper}>`;
  const end = text.indexOf(endTag, start);
  if (start < 0 || end < 0) throw new Error(`no ${wrapper}`);
  const out = (text.slice(0, start) + text.slice(end + endTag.length)).replace(/<osci:Subject>[^<]*<\/osci:Subject>/, '<osci:Subject>Geaenderter Betreff</osci:Subject>');
  return Buffer.from(out, 'latin1');
}

beforeAll(async () => {
  ensureBuilt();
  pkiDir = await sharedPki();
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'));
  const upstream = httpTransport({ url: intermediary.url, proxy: { mode: 'direct' } });
  const recording: PostFunction = async (body) => {
    const request: Buffer[] = [];
    for await (const c of body.stream()) request.push(Buffer.from(c));
    const response: Buffer[] = [];
    for await (const c of await upstream(body)) response.push(Buffer.from(c));
    const whole = Buffer.concat(response);
    recorded.push({ request: Buffer.concat(request), response: whole });
    return (async function* () {
      yield whole;
    })();
  };
  const app = (await generateApplication({ service: 'hzl', seed: 'inspect-echt' })).bytes();
  const forged = await forgedApplication('inspect-gefaelscht');
  await sendWithUncoveredContent(intermediary.url, loadSenderSetup({ pkiDir }), app, forgedEvidence('inspect-anlage'), forged.bytes, recording);
  // GetMessageId, then the StoreDelivery with the uncovered Content
  expect(recorded).toHaveLength(2);
  writeFileSync(path.join(root, 'store.request.http-body'), recorded[1]!.request);
  writeFileSync(path.join(root, 'store.response.http-body'), recorded[1]!.response);
}, 240_000);

afterAll(async () => {
  await intermediary?.close();
});

describe('postfach inspect: coverage and stripped signatures', () => {
  it('reports a Content its container signature does not cover: ok false, and ok true only with --allow-uncovered-content', async () => {
    const file = path.join(root, 'store.request.http-body');
    const strict = await inspect(file);
    expect(strict.status).toBe(1);
    expect(strict.report).toMatchObject({ ok: false, messageType: 'StoreDelivery', error: { kind: 'signature-incomplete' } });
    const byId = (r: Report) => Object.fromEntries(r.coverage.map((c) => [c.id, c.status]));
    expect(byId(strict.report)).toEqual({ content9: 'not-covered', content0: 'covered', content1: 'covered' });
    expect(strict.report.coverage.find((c) => c.id === 'content0')!.signedBy).toEqual([expect.stringContaining('CN=Sozialplattform (Test)')]);

    const lenient = await inspect(file, ['--allow-uncovered-content']);
    expect(lenient.status).toBe(0);
    expect(lenient.report.ok).toBe(true);
    // the coverage result is reported all the same
    expect(byId(lenient.report)).toEqual(byId(strict.report));

    const text = await postfach(['inspect', file, '--p12', testPkiFiles(pkiDir).intermediary.p12, '--p12', testPkiFiles(pkiDir).municipality.p12, '--password-env', 'P12'], {
      P12: pkiPassword(pkiDir),
    });
    expect(text.stdout).toMatch(/Signaturabdeckung: +contentcontainer0 content9 Base64Content: NICHT von der Signatur des Containers erfasst/);
  }, 120_000);

  it('a stripped ClientSignature with --trusted-signer: ok false (signature-missing); signed, the same signer is ok', async () => {
    const f = testPkiFiles(pkiDir);
    const inner = await innerOf(recorded[1]!.request, f.intermediary.p12);
    const original = path.join(root, 'store.request.inner.mime');
    writeFileSync(original, inner);
    const signed = await inspect(original, ['--trusted-signer', f.sender.cer, '--allow-uncovered-content']);
    expect(signed.report).toMatchObject({ ok: true, signature: { present: true, valid: true, pinned: true } });
    const file = path.join(root, 'store.request.stripped.mime');
    writeFileSync(file, stripped(inner, 'ClientSignature'));
    const pinned = await inspect(file, ['--trusted-signer', f.sender.cer, '--allow-uncovered-content']);
    expect(pinned.status).toBe(1);
    expect(pinned.report).toMatchObject({ ok: false, error: { kind: 'signature-missing' }, subject: 'Geaenderter Betreff', signature: { present: false } });
    // without a signer to trust, an unsigned request is no failure of its own (requests may go unsigned)
    expect((await inspect(file, ['--allow-uncovered-content'])).report.ok).toBe(true);
  }, 120_000);

  it('a stripped SupplierSignature with --trusted-signer: ok false (signature-missing)', async () => {
    const f = testPkiFiles(pkiDir);
    const inner = await innerOf(recorded[1]!.response, f.sender.p12);
    const original = path.join(root, 'store.response.inner.mime');
    writeFileSync(original, inner);
    expect((await inspect(original, ['--trusted-signer', f.intermediary.cer])).report).toMatchObject({ ok: true, signature: { present: true, pinned: true } });
    const file = path.join(root, 'store.response.stripped.mime');
    writeFileSync(file, stripped(inner, 'SupplierSignature'));
    const pinned = await inspect(file, ['--trusted-signer', f.intermediary.cer]);
    expect(pinned.status).toBe(1);
    expect(pinned.report).toMatchObject({ ok: false, messageType: 'ResponseToStoreDelivery', error: { kind: 'signature-missing' }, signature: { present: false } });
  }, 120_000);
});
