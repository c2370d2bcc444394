/**
 * One way to start `postfach serve` for a test and to sign persons in (the serve tests and the serve UI tests used to
 * repeat it each): a self-made TLS certificate for 127.0.0.1, the service's accounts (each with a password derived
 * from its name, `passwordOf`), the settings IT would write (HTTPS, no schedule unless asked, the store password from
 * the environment), the service run in-process with its real worker; on the demo mailbox (SQLite) or on any store a
 * test prepared (e.g. a single-PC store taken over into PostgreSQL). Also: a person signed in over HTTPS, and the
 * event stream (SSE) a person's browser receives.
 */
import { request } from 'node:https';
import path from 'node:path';
import { expect } from 'vitest';
import { startDemoMailbox, type DemoMailbox } from '../../app/demo-mailbox.js';
import { AccountStore } from '../../core/serve/accounts.js';
import type { Role } from '../../core/serve/roles.js';
import { runServe, type RunningServe, type RunServeOptions } from '../../core/serve/run.js';
import { resolveServeConfig } from '../../core/serve/serve-config.js';
import { projectRoot } from '../helpers/shared.js';
import { makeCertificate, Person, tempDir, type TestCertificate } from './helpers.js';

/** An account of the service: its name and role; `disabled` for an account IT switched off. */
export interface TestAccount {
  readonly name: string;
  readonly role: Role;
  readonly disabled?: boolean;
}

/** The test password of an account: its name, capitalised, and a suffix (long enough for the account rules). */
export const passwordOf = (name: string): string => `${name.charAt(0).toUpperCase()}${name.slice(1)}-Passwort-2026`;

/** The environment variable the test services read the store password from. */
const PASSWORD_ENV = 'SERVE_HARNESS_STORE_PASSWORD';

export interface ServeOn {
  /** The store path of the settings (`store`): a SQLite store, or the single-PC store to take over into PostgreSQL. */
  readonly store: string;
  readonly storePassword: string;
  /** The `postgresql` section of serve.json, where the service works on PostgreSQL. */
  readonly postgresql?: Record<string, unknown>;
  /** More environment (e.g. the database password the `postgresql` section names). */
  readonly env?: Record<string, string>;
}

export interface ServeHarnessOptions {
  readonly accounts: readonly TestAccount[];
  /** Default 60: one fetch at the start, the next an hour later; 0: no schedule, fetches only on demand. */
  readonly fetchIntervalMinutes?: number;
  readonly rendererDir?: string;
  readonly sessions?: RunServeOptions['sessions'];
  readonly report?: (line: string) => void;
}

export interface ServeHarness {
  readonly serve: RunningServe;
  readonly cert: TestCertificate;
  readonly origin: string;
  /** A person signed in over HTTPS (the form's POST), as a browser would be. */
  person(name: string): Promise<Person>;
  close(): Promise<void>;
}

/** Adds the accounts to the service's account file (beside the store) and starts `postfach serve` over HTTPS. */
export async function startServeHarness(on: ServeOn, options: ServeHarnessOptions): Promise<ServeHarness> {
  const cert = makeCertificate(tempDir('postfach-serve-tls-'));
  const accounts = new AccountStore(`${on.store}.accounts.json`);
  for (const account of options.accounts) {
    await accounts.add(account.name, account.role, passwordOf(account.name));
    if (account.disabled === true) await accounts.setDisabled(account.name, true);
  }
  const config = resolveServeConfig(undefined, {
    store: on.store,
    listen: '127.0.0.1:0',
    tlsCert: cert.certFile,
    tlsKey: cert.keyFile,
    fetchIntervalMinutes: options.fetchIntervalMinutes ?? 60,
    storePasswordEnv: PASSWORD_ENV,
    ...(on.postgresql === undefined ? {} : { postgresql: on.postgresql }),
  });
  const serve = await runServe(config, {
    rendererDir: options.rendererDir ?? path.join(projectRoot, 'dist', 'renderer'),
    report: options.report ?? (() => undefined),
    env: { ...on.env, [PASSWORD_ENV]: on.storePassword },
    ...(options.sessions === undefined ? {} : { sessions: options.sessions }),
  });
  return {
    serve,
    cert,
    origin: serve.origin,
    person: async (name) => {
      const p = new Person(serve.origin, cert.cert);
      expect((await p.signIn(name, passwordOf(name))).status).toBe(303);
      return p;
    },
    close: () => serve.close(),
  };
}

export interface DemoServe extends ServeHarness {
  readonly demo: DemoMailbox;
}

/** `postfach serve` on the demo mailbox (SQLite; its first `firstBatch` applications wait at the intermediary, fetched at start). */
export async function startDemoServe(firstBatch: number, options: ServeHarnessOptions): Promise<DemoServe> {
  const demo = await startDemoMailbox(path.join(tempDir(), 'mailbox'), { firstBatch });
  try {
    const harness = await startServeHarness({ store: demo.storePath, storePassword: demo.unlock.password }, options);
    return {
      ...harness,
      demo,
      close: async () => {
        await harness.close();
        await demo.close();
      },
    };
  } catch (error) {
    await demo.close();
    throw error;
  }
}

/** One event of a person's event stream, with when it arrived: `at` performance.now(), `wall` Date.now() (to compare with a browser's clock). */
export interface ReceivedEvent {
  readonly event: string;
  readonly data: unknown;
  readonly at: number;
  readonly wall: number;
}

/** The events the person's browser would receive (SSE, `/api/events` with their session), collected until `stop`. */
export function listenEvents(p: Person, ca: Buffer): { events: ReceivedEvent[]; opened: Promise<void>; stop: () => void } {
  const events: ReceivedEvent[] = [];
  let open!: () => void;
  // the service subscribes the stream before it answers: from the answer on, no event is missed
  const opened = new Promise<void>((resolve) => (open = resolve));
  const req = request(new URL('/api/events', p.origin), { ca, headers: { Cookie: p.cookie ?? '' } }, (res) => {
    open();
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) as unknown, at: performance.now(), wall: Date.now() });
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { events, opened, stop: () => req.destroy() };
}
