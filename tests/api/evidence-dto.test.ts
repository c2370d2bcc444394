/**
 * The one mapping of the evidence's codes to the contract (core/api/handlers/evidence-dto.ts): codes and facts, no
 * words; the words of core/domain/words said from them are the sentences the store used to hold; every code has
 * words in both languages, and what comes out passes the contract's schemas.
 */
import { describe, expect, it } from 'vitest';
import { inspectionDto, partCoverageDto, signatureCheckDto } from '../../core/api/handlers/evidence-dto.js';
import { messageDetailSchema } from '../../core/api/contract/mailbox.js';
import { COVERAGE_STATUSES, PART_ROLES } from '../../core/domain/coverage.js';
import { CERTIFICATE_TRUSTS, SIGNATURE_REASON_CODES, SIGNATURE_RESULTS, SIGNATURE_STATUSES } from '../../core/domain/evidence.js';
import { CREATION_CHECK_CODES } from '../../core/domain/legal-time.js';
import { certificateWarningWords, coverageSentence, inspectionSentence, signatureSentence, WORDS } from '../../core/domain/words/index.js';
import { officeTime } from '../../core/time/office-time.js';

const signatureSchema = messageDetailSchema.unwrap().shape.signatures.element;

describe('evidence words and the mapping to the contract', () => {
  it('has words for every code in German and English, each language its own', () => {
    for (const w of Object.values(WORDS)) {
      for (const r of SIGNATURE_RESULTS) expect(w.signatureResult[r]).toMatch(/\S/);
      for (const c of CERTIFICATE_TRUSTS) expect(w.certificateTrust[c]).toMatch(/\S/);
      for (const c of SIGNATURE_REASON_CODES) expect(w.signatureReason[c]).toMatch(/\S/);
      for (const s of SIGNATURE_STATUSES) expect(w.signatureStatus[s]).toMatch(/\S/);
      for (const s of COVERAGE_STATUSES) expect(w.coverageStatus[s]).toMatch(/\S/);
      for (const r of PART_ROLES) expect(w.partRole[r]).toMatch(/\S/);
      for (const c of CREATION_CHECK_CODES) expect(w.creationCheck[c]).toMatch(/\S/);
    }
    expect(WORDS.de.signatureReason.expired).not.toBe(WORDS.en.signatureReason.expired);
  });

  it('says a check in the sentence the store used to keep, and the result passes the contract', () => {
    const dto = signatureCheckDto({
      role: 'author',
      container: 'Inhaltsdaten',
      result: 'invalid',
      certificate: 'unknown-issuer',
      signer: {
        subject: 'CN=Absender',
        issuer: 'CN=CA',
        serialNumber: '01',
        validFrom: '2026-01-01T00:00:00.000Z',
        validTo: '2026-12-31T23:30:00.000Z',
        fingerprintSha256: 'AA:BB',
        keyAlgorithm: 'RSA',
        keyBits: 2048,
        warnings: [{ code: 'expired', days: 3 }],
      },
      checkedAt: '2027-01-04T00:00:00.000Z',
      revocation: 'not-checked',
      reasons: ['issuer-not-found'],
      technical: 'rsa-sha256; 1 references',
    });
    // codes and facts only: the words are said where shown, from the one words module per language
    expect(dto.reasons).toEqual(['issuer-not-found']);
    expect(dto.signer?.warnings).toEqual([{ code: 'expired', days: 3, validFrom: '2026-01-01T00:00:00.000Z', validTo: '2026-12-31T23:30:00.000Z' }]);
    expect(signatureSchema.parse(dto)).toEqual(dto);
    expect(signatureSentence(WORDS.de, dto.result, dto.certificate, dto.revocation)).toBe(
      'Signatur ungültig – Inhalt nicht verwenden; Zertifikat von unbekanntem Aussteller; Sperrstatus nicht geprüft',
    );
    expect(signatureSentence(WORDS.en, dto.result, dto.certificate, dto.revocation)).toBe(
      'signature invalid – do not use the content; certificate from an unknown issuer; revocation status not checked',
    );
    expect(WORDS.de.signatureReason[dto.reasons[0]!]).toBe('Der Aussteller ist keine als vertrauenswürdig eingerichtete Zertifizierungsstelle.');
    // the office's day: 23:30 UTC on 31 December is 1 January in Berlin
    const office = officeTime('Europe/Berlin');
    const warning = dto.signer!.warnings[0]!;
    expect(certificateWarningWords('de', warning, (iso) => office.date(iso))).toBe('Das Zertifikat ist abgelaufen (gültig bis 01.01.2027).');
    expect(certificateWarningWords('en', warning, (iso) => office.day(iso) ?? '')).toBe('The certificate has expired (valid until 2027-01-01).');
    const inspection = inspectionDto({ subject: '', mathResult: 'ok', onlineResult: 'revoked' });
    expect(inspection).toEqual({ subject: '', mathResult: 'ok', onlineResult: 'revoked', verdict: 'revoked' });
    expect(inspectionSentence(WORDS.de, inspection.verdict, inspection.mathResult, inspection.offlineResult)).toBe('laut Intermediär gesperrt');
    const coverage = partCoverageDto({ role: 'extra', status: 'signed', signatures: [1], container: null, contentId: null });
    expect(coverage).toEqual({ role: 'extra', status: 'signed', signatures: [1], container: null, contentId: null });
    expect(coverageSentence(WORDS.de, coverage.status, coverage.role)).toBe('signiert, gehört aber nicht zum angezeigten Antrag (andere Signatur)');
  });
});
