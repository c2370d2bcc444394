import { describe, expect, it } from 'vitest';
import { amount as formatAmount } from '../../core/words/format.js';
import { formatDate, formatDateTime, formatValue, groupIban, ibanIsValid } from '../../core/xsozial/values.js';
import { humanise } from '../../core/xsozial/labels.js';

describe('value formatting', () => {
  it('shows dates exactly as written, whatever the offset', () => {
    expect(formatDate('2025-11-20+01:00')).toBe('20.11.2025');
    expect(formatDate('2025-12-31-11:00')).toBe('31.12.2025');
    expect(formatDate('2025-01-01+14:00')).toBe('01.01.2025');
    expect(formatDate('2025-02-30')).toBeUndefined();
    expect(formatDateTime('2024-05-02T23:59:59.999-10:00')).toBe('02.05.2024, 23:59:59 Uhr (UTC-10:00)');
    expect(formatDateTime('2024-05-02T00:15:00Z')).toBe('02.05.2024, 00:15:00 Uhr (UTC)');
  });

  it('turns booleans into Ja/Nein and empty values into "keine Angabe"', () => {
    expect(formatValue('true', undefined).display).toBe('Ja');
    expect(formatValue('false', undefined).display).toBe('Nein');
    expect(formatValue('1', 'boolean').display).toBe('Ja');
    expect(formatValue('1', undefined).display).toBe('1');
    expect(formatValue('   ', undefined)).toMatchObject({ kind: 'empty', display: 'keine Angabe' });
  });

  it('groups IBANs and flags wrong check digits', () => {
    expect(ibanIsValid('DE89370400440532013000')).toBe(true);
    expect(ibanIsValid('DE89370400440532013001')).toBe(false);
    expect(groupIban('de89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
    const valid = formatValue('DE89370400440532013000', 'iban');
    expect(valid).toMatchObject({ kind: 'iban', display: 'DE89 3704 0044 0532 0130 00', raw: 'DE89370400440532013000' });
    expect(valid.flag).toBeUndefined();
    const invalid = formatValue('DE89 3704 0044 0532 0130 01', 'iban');
    expect(invalid.flag?.kind).toBe('iban-invalid');
    expect(invalid.flag?.de).toContain('IBAN ungültig');
    // a labelled IBAN with a hidden direction override (issue 16) is flagged, not shown as a plain text
    const hidden = formatValue('DE8937040044\u202E0532013000', 'iban');
    expect(hidden).toMatchObject({ kind: 'text', raw: 'DE8937040044\u202E0532013000' });
    expect(hidden.flag?.kind).toBe('iban-invalid');
    expect(hidden.flag?.de).toMatch(/^Keine gültige IBAN/);
    // unlabelled text is taken for an IBAN only when its check digits are right
    expect(formatValue('DE89370400440532013001', undefined).kind).toBe('text');
  });

  it('formats amounts in German notation', () => {
    expect(formatAmount('1234.5')).toBe('1.234,50 €');
    expect(formatAmount('0.99')).toBe('0,99 €');
    expect(formatValue('-12', 'amount').display).toBe('−12,00 €');
  });

  it('humanises element names', () => {
    expect(humanise('nameNatuerlichePerson')).toBe('Name natürliche Person');
    expect(humanise('identifikation.nachricht')).toBe('Identifikation nachricht');
    expect(humanise('xsb:anschriftInland')).toBe('Anschrift Inland');
    expect(humanise('steuerID')).toBe('Steuer ID');
  });
});
