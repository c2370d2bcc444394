/**
 * What the store-model lever of issue 14 would gain, measured without building it: "commit the received,
 * transport-decrypted delivery first, acknowledge it, decode and index it afterwards". Two loops over the same
 * bench mailbox (bench/fetch.ts), one dialog each, the intermediary in its own process:
 *
 *  - current: FetchDelivery → acceptDelivery (content decryption, signatures, XSozial reading, the store's durable
 *    save) → the next request (the fetch engine's order);
 *  - raw-first: FetchDelivery → the decrypted OSCI message saved durably as one blob and row into a second store →
 *    the next request; acceptDelivery of the delivery runs behind, on the same thread, while the next response is
 *    awaited. A prototype for measuring only: it has no crash recovery, no "received, not yet read" state, nothing
 *    of what the lever would need (docs/performance.md, branch `fetchrate`) — never a way to fetch.
 *
 * Reported per mode: deliveries/s (until everything is decoded and stored), CPU per delivery of both processes.
 *
 *   node dist/bench/fetch-store-model.js [--mode current|raw-first] [--count 50] [--rtt MS]
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptDelivery } from '../core/mailbox/accept-delivery.js';
import { transportFor } from '../core/mailbox/fetch-engine.js';
import { ExplicitDialog, type PostFunction } from '../core/osci/client/dialog.js';
import { PostfachStore, SqliteMailboxStore } from '../core/store/index.js';
import { cachedMailbox, municipalityIdentity, startIntermediaryProcess } from './fetch.js';

const PASSWORD = 'Bench-Passwort-2026';

function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const ownCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function freshStore(dir: string): Promise<SqliteMailboxStore> {
  const file = path.join(dir, 'postfach.db');
  const { store } = await PostfachStore.create(file, { password: PASSWORD, scrypt: { N: 1024, r: 8, p: 1 } });
  store.close();
  return new SqliteMailboxStore(await PostfachStore.open(file, { password: PASSWORD }));
}

export async function measureStoreModel(mode: 'current' | 'raw-first', count: number, rttMs: number): Promise<Record<string, number | string>> {
  const mailbox = await cachedMailbox(count, 300_000);
  const work = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-store-model-'));
  cpSync(mailbox.dir, work, { recursive: true });
  const pkiDir = path.join(work, 'pki');
  const store = await freshStore(path.join(work, 'store'));
  const raw = await freshStore(path.join(work, 'raw'));
  const intermediary = await startIntermediaryProcess(pkiDir, path.join(work, 'intermediary'));
  try {
    const identity = municipalityIdentity(pkiDir, intermediary.url);
    const http = transportFor(identity);
    const post: PostFunction =
      rttMs > 0
        ? async (body) => {
            await new Promise((r) => setTimeout(r, rttMs));
            return http(body);
          }
        : http;
    const c = identity.connection;
    const dialog = await ExplicitDialog.open({
      post,
      cipherKey: identity.cipherKey,
      signatureKey: identity.signatureKey,
      intermediaryCertificate: c.intermediaryCertificate,
      intermediarySigner: { pinned: c.intermediarySigners, cas: c.intermediarySigners.filter((s) => s.ca), intermediates: identity.chain },
    });
    const start = performance.now();
    const cpu = ownCpuMs();
    const imCpu = processCpuMs(intermediary.pid);
    let behind: Promise<unknown> = Promise.resolve();
    let n = 0;
    for (;;) {
      const delivery = await dialog.fetchDelivery();
      if (delivery === undefined) break;
      n++;
      dialog.prepareFetchDelivery();
      if (mode === 'raw-first') {
        const inner = delivery.decoded.inner;
        await raw.saveDelivery({
          messageId: delivery.messageId ?? `ohne-id-${n}`,
          subject: null,
          processCard: {},
          content: () => inner.stream(),
          contentType: 'multipart/related; type=text/xml (OSCI)',
          attachments: [],
          unreadableReason: 'not-yet-read',
          unreadableKind: 'not-yet-read',
          summary: {},
          searchText: '',
        });
        behind = behind.then(() => acceptDelivery(delivery, { store, identity }));
      } else {
        await acceptDelivery(delivery, { store, identity });
      }
      dialog.confirmPersisted();
    }
    await behind;
    const seconds = (performance.now() - start) / 1000;
    const fetchCpu = ownCpuMs() - cpu;
    const intermediaryCpu = processCpuMs(intermediary.pid) - imCpu;
    await dialog.exit();
    await dialog.release();
    const stored = (await store.list({ limit: 10_000 })).items.length;
    return {
      mode,
      rttMs,
      deliveries: n,
      stored,
      perSecond: Math.round((10 * n) / seconds) / 10,
      cpuMsPerDelivery: Math.round((10 * fetchCpu) / n) / 10,
      intermediaryCpuMsPerDelivery: Math.round((10 * intermediaryCpu) / n) / 10,
      load: Math.round(10 * os.loadavg()[0]!) / 10,
    };
  } finally {
    await store.close();
    await raw.close();
    await intermediary.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === self) {
  const args = process.argv.slice(2);
  const value = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const mode = value('--mode') === 'current' ? 'current' : 'raw-first';
  process.stdout.write(`${JSON.stringify(await measureStoreModel(mode, Number(value('--count') ?? 50), Number(value('--rtt') ?? 0)))}\n`);
}
