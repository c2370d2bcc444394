/**
 * A throw-away PostgreSQL cluster in a folder of its own: initdb + pg_ctl, listening on 127.0.0.1 only at a free
 * port, password authentication (scram-sha-256), stopped and removed by stop(). For the tests, the bench and trying
 * out a team set-up on one machine — never a system service, nothing outside its folder.
 *
 * PostgreSQL refuses to run as root. When this process is root (CI runs `.ci/run` as root), the cluster's folder
 * is handed to an unprivileged user (`postgres` where the Debian package made it, else `nobody`) and initdb,
 * pg_ctl and the server run as that user through `runuser`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LocalClusterOptions {
  /** Where the cluster's folder is made (default: the system's temp folder). */
  readonly parent?: string;
  /**
   * Default false: fsync, full-page writes and synchronous commit are off — a throw-away cluster loses nothing a
   * test needs, and the shared test machine is spared. true: PostgreSQL's durable defaults (benchmarks of saving).
   */
  readonly durable?: boolean;
}

export interface LocalCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** The folder holding data, socket and log (removed by stop). */
  readonly folder: string;
  /** The server's binaries (pg_dump for the dump test). */
  readonly binDir: string;
  /** A connection string for `pg` and the command-line tools. */
  readonly url: string;
  /** Runs a client program of the cluster's version (pg_dump, psql) as this process's user, password in its environment. */
  client(program: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }>;
  /** Stops the server (fast shutdown) and removes the folder. */
  stop(): Promise<void>;
}

/** The newest installed server's binaries: POSTGRES_BIN, else Debian's /usr/lib/postgresql/<major>/bin, else PATH. */
export function findPostgresBin(): string | undefined {
  const fromEnv = process.env['POSTGRES_BIN'];
  if (fromEnv !== undefined && existsSync(path.join(fromEnv, 'initdb'))) return fromEnv;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const bin = path.join(debian, major, 'bin');
      if (existsSync(path.join(bin, 'initdb'))) return bin;
    }
  }
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir !== '' && existsSync(path.join(dir, 'initdb'))) return dir;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Who runs the server: this process, or (as root) an unprivileged user with uid and gid. */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      if (Number.isInteger(uid) && uid > 0) return { name, uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('running as root, but neither a "postgres" nor a "nobody" user exists to run PostgreSQL as');
}

/** Starts a new cluster; throws with initdb's or the server's log when it cannot. */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const binDir = findPostgresBin();
  if (binDir === undefined) throw new Error('PostgreSQL server binaries not found (install the Debian package "postgresql" or set POSTGRES_BIN)');
  const owner = serverUser();
  const folder = mkdtempSync(path.join(options.parent ?? os.tmpdir(), 'postfach-pg-'));
  const data = path.join(folder, 'data');
  const socketDir = path.join(folder, 'socket');
  const log = path.join(folder, 'server.log');
  const pwfile = path.join(folder, 'pwfile');
  const user = 'postfach';
  const password = randomBytes(18).toString('base64url');
  mkdirSync(socketDir, { mode: 0o700 });
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner !== undefined) for (const p of [folder, socketDir, pwfile]) chownSync(p, owner.uid, owner.gid);
  const asOwner = (program: string, args: readonly string[]) =>
    owner === undefined ? run(path.join(binDir, program), [...args]) : run('runuser', ['-u', owner.name, '--', path.join(binDir, program), ...args]);

  const cleanup = () => rmSync(folder, { recursive: true, force: true });
  try {
    await asOwner('initdb', ['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-instructions']);
  } catch (error) {
    cleanup();
    throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
  rmSync(pwfile, { force: true });
  const port = await freePort();
  const settings = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-p',
    String(port),
    '-c',
    `unix_socket_directories=${socketDir}`,
    ...(options.durable === true ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ];
  try {
    await asOwner('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', settings.map((s) => (s.includes(' ') ? `'${s}'` : s)).join(' '), 'start']);
  } catch (error) {
    let tail = '';
    try {
      tail = execFileSync('tail', ['-n', '20', log], { encoding: 'utf8' });
    } catch {
      // no log written
    }
    cleanup();
    throw new Error(`pg_ctl start failed: ${(error as { stderr?: string }).stderr ?? String(error)}\n${tail}`, { cause: error });
  }
  const database = 'postgres';
  const url = `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync(
        owner === undefined ? path.join(binDir, 'pg_ctl') : 'runuser',
        [...(owner === undefined ? [] : ['-u', owner.name, '--', path.join(binDir, 'pg_ctl')]), '-D', data, '-m', 'immediate', '-w', 'stop'],
        { stdio: 'ignore' },
      );
    } catch {
      // already gone
    }
    cleanup();
  };
  // a test run that ends without stop() must not leave a server running
  process.once('exit', stopNow);
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    folder,
    binDir,
    url,
    client: (program, args) => run(path.join(binDir, program), [...args], { env: { ...process.env, PGPASSWORD: password }, maxBuffer: 512 * 1024 * 1024 }),
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopNow);
      try {
        await asOwner('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        cleanup();
      }
    },
  };
}
