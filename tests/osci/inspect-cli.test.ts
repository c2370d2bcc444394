/**
 * `postfach inspect --json` (the built CLI, spawned) agrees with the manifest for every vector: positive ones are
 * ok with the manifest's type, signature and content hashes; negative ones and faults fail with the expected
 * error kind. All files go through one process (several FILE arguments give a JSON list), so the legacy .p12
 * files are loaded once.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, vectorPath } from '../helpers/shared.js';
import { allMessageEntries, expectedKind, manifest, type Json } from './manifest.js';

const run = promisify(execFile);
const cli = path.join(projectRoot, 'dist', 'cli', 'main.js');

beforeAll(() => {
  // `npm test` builds first; when the tests run alone, build once here
  if (!existsSync(path.join(projectRoot, 'dist', 'cli', 'commands', 'inspect.js'))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: projectRoot, stdio: 'ignore' });
  }
}, 300_000);

const cipherP12 = ['osci_manager_cipher_4096', 'alice_cipher_4096', 'bob_cipher_4096', 'carol_cipher_4096'].flatMap((n) => ['--p12', vectorPath(`certs/${n}.p12`)]);

async function inspect(files: string[], extra: string[] = []): Promise<{ code: number; reports: Json[] }> {
  try {
    const { stdout } = await run('node', [cli, 'inspect', ...files.map(vectorPath), ...cipherP12, '--password-env', 'VECTOR_PIN', '--json', ...extra], {
      env: { ...process.env, VECTOR_PIN: '123456' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const parsed = JSON.parse(stdout);
    return { code: 0, reports: Array.isArray(parsed) ? parsed : [parsed] };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    const parsed = JSON.parse(e.stdout);
    return { code: e.code, reports: Array.isArray(parsed) ? parsed : [parsed] };
  }
}

describe('postfach inspect --json', () => {
  it('reports every positive vector as the manifest says', async () => {
    // a message signed by one of the trusted signers is checked against them; an unsigned one (the reassembled
    // PartialStoreDelivery, quirk Q11) without: naming a trusted signer makes a missing signature a failure
    const all = allMessageEntries();
    const trusted = ['--trusted-signer', vectorPath('certs/governikus_ca_8_pn.cer'), '--trusted-signer', vectorPath('certs/alice_signature_ec256.cer')];
    const signed = await inspect(
      all.filter((e: Json) => e.message_signature).map((e: Json) => e.file),
      trusted,
    );
    const unsigned = await inspect(all.filter((e: Json) => !e.message_signature).map((e: Json) => e.file));
    const entries = [...all.filter((e: Json) => e.message_signature), ...all.filter((e: Json) => !e.message_signature)];
    const reports = [...signed.reports, ...unsigned.reports];
    const code = Math.max(signed.code, unsigned.code);
    expect(unsigned.reports.length).toBeGreaterThan(0);
    expect(reports).toHaveLength(entries.length);
    entries.forEach((entry: Json, i: number) => {
      const r = reports[i];
      expect(r.file).toBe(vectorPath(entry.file));
      expect(r.ok, `${entry.file}: ${JSON.stringify(r.error)}`).toBe(true);
      expect(r.messageType).toBe(entry.message_type);
      expect(r.sha256).toBe(entry.sha256);
      if (entry.inner && entry.outer) {
        expect(r.transport.innerSha256).toBe(entry.inner.sha256);
        expect(r.transport.innerLength).toBe(entry.inner.length);
      }
      if (entry.message_signature) {
        expect(r.signature).toMatchObject({ present: true, valid: true, pinned: true, signer: entry.message_signature.signer_subject });
      }
      // every content item of the manifest appears with its length and SHA-256
      const items: Json[] = [];
      const collect = (container: Json) => {
        for (const c of container.contents ?? []) {
          if (c.kind === 'nested-container') collect(c.container);
          else items.push(c);
        }
        for (const n of container.nested_encrypted_data ?? []) collect(n.container);
      };
      for (const e of entry.encrypted_data ?? []) collect(e.container);
      for (const p of entry.plain_containers ?? []) collect(p);
      for (const item of items) {
        expect(r.contents).toContainEqual(expect.objectContaining({ id: item.Id, length: item.length, sha256: item.sha256 }));
      }
      // no content of a signed container escapes its signature in the reference implementation's messages
      expect(
        r.coverage.filter((c: Json) => c.status === 'not-covered' || c.status === 'digest-mismatch' || c.status === 'undecryptable'),
        entry.file,
      ).toEqual([]);
      for (const e of entry.encrypted_data ?? []) {
        expect(r.containers).toContainEqual(expect.objectContaining({ encryptedDataId: e.Id, plaintextSha256: e.decrypted_container_sha256 }));
      }
      for (const p of entry.process_cards ?? []) {
        expect(r.processCards).toContainEqual(expect.objectContaining({ messageId: p.message_id, creation: p.creation }));
      }
    });
    expect(code).toBe(0);
  }, 120_000);

  it('fails every negative vector and fault with the expected error kind', async () => {
    const negatives: Json[] = manifest.negative;
    const faults: Json[] = manifest.faults;
    const { code, reports } = await inspect([...negatives.map((n) => n.file), ...faults.map((f) => f.file)]);
    expect(code).toBe(1);
    negatives.forEach((n, i) => {
      expect(reports[i]).toMatchObject({ ok: false, error: { kind: expectedKind(n) } });
    });
    faults.forEach((f, i) => {
      expect(reports[negatives.length + i]).toMatchObject({ ok: false, messageType: 'SOAPFault', error: { kind: 'fault', osciCode: f.osci_code } });
    });
  }, 120_000);

  it('single file: one JSON object; a wrong trusted signer fails with signer-untrusted; German text without --json', async () => {
    const one = await inspect(['exchange/06-FetchDelivery.response.http-body'], ['--trusted-signer', vectorPath('certs/alice_signature_4096.cer')]);
    expect(one.code).toBe(1);
    expect(one.reports[0]).toMatchObject({ ok: false, error: { kind: 'signer-untrusted' }, signature: { valid: true, pinned: false } });
    const { stdout } = await run('node', [cli, 'inspect', vectorPath('faults/fault-9400.response.http-body')], { env: process.env }).catch((e: { stdout: string }) => e);
    expect(stdout).toContain('Fehlernachricht');
    expect(stdout).toContain('9400');
  }, 60_000);

  it('German text: the trust of an author signature in German words (the JSON keeps the token)', async () => {
    const args = [cli, 'inspect', vectorPath('exchange/06-FetchDelivery.response.http-body'), '--p12', vectorPath('certs/bob_cipher_4096.p12'), '--password-env', 'VECTOR_PIN'];
    const env = { ...process.env, VECTOR_PIN: '123456' };
    const unknown = (await run('node', args, { env })).stdout;
    expect(unknown).toMatch(/Inhaltscontainer: +contentcontainer0 \(verschlüsselt\): Signatur gültig \([^)]*CN=Alice Signature 4096; unbekannter Aussteller\)\n/);
    const trusted = (await run('node', [...args, '--trusted-ca', vectorPath('certs/governikus_ca_8_pn.cer')], { env })).stdout;
    expect(trusted).toMatch(/CN=Alice Signature 4096; vertrauenswürdig\)\n/);
    for (const out of [unknown, trusted]) expect(out).not.toMatch(/unknown-issuer|; trusted\)|; invalid\)/);
    const json = JSON.parse((await run('node', [...args, '--json'], { env })).stdout);
    expect(json.containers.find((c: Json) => c.path === 'contentcontainer0').signatures[0].trust).toBe('unknown-issuer');
  }, 60_000);

  it('a message, key or certificate file that cannot be read is input-file (exit 1, German), not an internal error', async () => {
    const missing = path.join(projectRoot, 'gibt-es-nicht.http-body');
    const fault = vectorPath('faults/fault-9400.response.http-body');
    const bob = vectorPath('certs/bob_cipher_4096.p12');
    const attempt = async (args: string[]): Promise<{ code: number; report: Json }> => {
      const r = await run('node', [cli, 'inspect', ...args, '--password-env', 'VECTOR_PIN', '--json'], { env: { ...process.env, VECTOR_PIN: '123456' } }).then(
        (ok) => ({ code: 0, stdout: ok.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
      return { code: r.code, report: JSON.parse(r.stdout) };
    };
    const message = await attempt([missing, '--p12', bob]);
    expect(message.code).toBe(1);
    expect(message.report).toMatchObject({ ok: false, error: { kind: 'input-file', message: expect.stringContaining('kann nicht gelesen werden') } });
    expect(message.report.error.detail).toContain('ENOENT');
    expect((await attempt([vectorPath('certs'), '--p12', bob])).report).toMatchObject({ ok: false, error: { kind: 'input-file' } });
    const key = await attempt([fault, '--p12', missing]);
    expect(key.code).toBe(1);
    expect(key.report).toMatchObject({ ok: false, error: { kind: 'input-file' } });
    expect((await attempt([fault, '--trusted-signer', missing])).report).toMatchObject({ ok: false, error: { kind: 'input-file' } });
  }, 60_000);
});
