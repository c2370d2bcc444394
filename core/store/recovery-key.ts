/**
 * The recovery key: shown once when the store is created, typed back in when password and OS key store are lost.
 * 8 groups of 6 characters from Crockford's base32 alphabet (no I, L, O, U: nothing to confuse), e.g.
 * `7K2QF9-...`; in each group 5 characters carry the secret (8 × 25 = 200 bits) and the 6th is a check
 * character over the group and its position, so a typo is caught before any cryptography and the caseworker is told
 * which group to re-read (31 of 32 typos per group are caught).
 */
import { createHash, randomInt } from 'node:crypto';
import { storeError } from './errors.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 8;
const DATA_PER_GROUP = 5;

function checkChar(groupIndex: number, data: string): string {
  const digest = createHash('sha256').update(`osci-postfach recovery check ${groupIndex} ${data}`).digest();
  return ALPHABET[(digest[0] ?? 0) & 31] ?? '0';
}

/** A fresh random recovery key in its display form (groups joined by '-'). */
export function generateRecoveryKey(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let data = '';
    for (let i = 0; i < DATA_PER_GROUP; i++) data += ALPHABET[randomInt(32)];
    groups.push(data + checkChar(g, data));
  }
  return groups.join('-');
}

/**
 * Normalises what was typed (case, spaces, dashes, O→0, I/L→1), verifies each group's check character and
 * returns the secret part (the 40 data characters) used for key derivation.
 * Throws `store-wrong-recovery-key` naming the first wrong group (a position, no secret).
 */
export function parseRecoveryKey(typed: string): string {
  const normalised = typed
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  const size = DATA_PER_GROUP + 1;
  if (normalised.length !== GROUPS * size) {
    throw storeError('store-wrong-recovery-key', `recovery key has ${normalised.length} characters, expected ${GROUPS * size}`);
  }
  let secret = '';
  for (let g = 0; g < GROUPS; g++) {
    const group = normalised.slice(g * size, (g + 1) * size);
    for (const c of group) {
      if (!ALPHABET.includes(c)) throw storeError('store-wrong-recovery-key', `recovery key group ${g + 1}: character outside the alphabet`);
    }
    const data = group.slice(0, DATA_PER_GROUP);
    if (group[DATA_PER_GROUP] !== checkChar(g, data)) {
      throw storeError('store-wrong-recovery-key', `recovery key group ${g + 1}: check character does not match`);
    }
    secret += data;
  }
  return secret;
}
