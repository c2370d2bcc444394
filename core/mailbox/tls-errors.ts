/**
 * TLS failures of the connection to the intermediary in plain German: the server certificate is not trusted (not
 * from a CA of the system's certificate store or of the configured TLS CAs, or self-signed), has expired (or is
 * not yet valid), or is for another host. Node's and OpenSSL's error codes go into the detail for IT.
 */
import { PostfachError } from '../errors.js';

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const WRONG_HOST = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

/** A PostfachError for a TLS failure, or undefined when the error is not one. */
export function tlsFailure(error: unknown, host: string): PostfachError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const detail = `${host}: ${code}: ${message}`.slice(0, 500);
  if (EXPIRED.has(code)) {
    return new PostfachError(
      'tls-expired',
      {
        de:
          code === 'CERT_NOT_YET_VALID'
            ? 'Das Serverzertifikat des Intermediärs ist noch nicht gültig. Bitte die Uhrzeit des PCs prüfen und sonst die IT informieren.'
            : 'Das Serverzertifikat des Intermediärs ist abgelaufen. Die Verbindung wurde aus Sicherheitsgründen nicht aufgebaut. Bitte die IT oder den Betreiber des Intermediärs informieren.',
        en:
          code === 'CERT_NOT_YET_VALID'
            ? 'The intermediary’s server certificate is not valid yet. Please check the PC’s clock, otherwise inform IT.'
            : 'The intermediary’s server certificate has expired. The connection was not made, for security. Please inform IT or the intermediary’s operator.',
      },
      detail,
      { cause: error },
    );
  }
  if (UNTRUSTED.has(code)) {
    return new PostfachError(
      'tls-untrusted',
      {
        de: 'Dem Serverzertifikat des Intermediärs wird nicht vertraut (unbekannter Aussteller oder selbst signiert). Die Verbindung wurde aus Sicherheitsgründen nicht aufgebaut. Die IT kann die ausstellende CA im Zertifikatspeicher von Windows oder in der Richtlinie „Zusätzliche CAs für HTTPS“ hinterlegen.',
        en: 'The intermediary’s server certificate is not trusted (unknown issuer or self-signed). The connection was not made, for security. IT can add the issuing CA to the Windows certificate store or to the policy “Additional CAs for HTTPS”.',
      },
      detail,
      { cause: error },
    );
  }
  if (WRONG_HOST.has(code)) {
    return new PostfachError(
      'tls-wrong-host',
      {
        de: 'Das Serverzertifikat gehört nicht zur Adresse des Intermediärs. Die Verbindung wurde aus Sicherheitsgründen nicht aufgebaut. Bitte die Adresse prüfen und sonst die IT informieren.',
        en: 'The server certificate does not belong to the intermediary’s address. The connection was not made, for security. Please check the address, otherwise inform IT.',
      },
      detail,
      { cause: error },
    );
  }
  if (/^ERR_SSL_|^EPROTO$|^ERR_TLS_/.test(code)) {
    return new PostfachError(
      'tls-failed',
      {
        de: 'Die verschlüsselte Verbindung (TLS) zum Intermediär kam nicht zustande. Bitte die IT informieren.',
        en: 'The encrypted connection (TLS) to the intermediary could not be established. Please inform IT.',
      },
      detail,
      { cause: error },
    );
  }
  return undefined;
}
