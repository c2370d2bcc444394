/**
 * Signed-in sessions of `postfach serve`, in memory (a restart of the service signs everyone out). A session id is
 * 32 random bytes, travels only in an HttpOnly, Secure, SameSite=Strict cookie, and ends after `idleMs` without a
 * request or `maxMs` after sign-in, whichever comes first.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from './roles.js';

export const SESSION_COOKIE = 'postfach_sitzung';

export interface Session {
  readonly id: string;
  readonly name: string;
  role: Role;
  readonly startedAt: number;
  lastSeen: number;
}

export interface SessionLimits {
  /** Default 30 minutes without a request. */
  readonly idleMs?: number;
  /** Default 10 hours: one working day. */
  readonly maxMs?: number;
}

export class Sessions {
  private readonly byId = new Map<string, Session>();
  readonly idleMs: number;
  readonly maxMs: number;

  constructor(
    limits: SessionLimits = {},
    private readonly now: () => number = Date.now,
  ) {
    this.idleMs = limits.idleMs ?? 30 * 60_000;
    this.maxMs = limits.maxMs ?? 10 * 60 * 60_000;
  }

  start(name: string, role: Role): Session {
    const id = randomBytes(32).toString('base64url');
    const at = this.now();
    const session: Session = { id, name, role, startedAt: at, lastSeen: at };
    this.byId.set(id, session);
    return session;
  }

  /** The live session of this id (touching it), or undefined when there is none or it has expired. */
  get(id: string | undefined, touch = true): Session | undefined {
    if (id === undefined) return undefined;
    const session = this.byId.get(id);
    if (session === undefined) return undefined;
    const now = this.now();
    if (now - session.lastSeen > this.idleMs || now - session.startedAt > this.maxMs) {
      this.byId.delete(id);
      return undefined;
    }
    if (touch) session.lastSeen = now;
    return session;
  }

  end(id: string | undefined): void {
    if (id !== undefined) this.byId.delete(id);
  }

  /** Ends every session of an account (disabled, password reset). */
  endAllOf(name: string): void {
    for (const [id, session] of this.byId) if (session.name === name) this.byId.delete(id);
  }

  /** Seconds a new cookie may live: the session's own bound. */
  get cookieMaxAgeSeconds(): number {
    return Math.floor(this.maxMs / 1000);
  }
}

/** The value of one cookie from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
