/**
 * The errors reading delivered XML can end in. Kinds (stable, used by the UI and `--json`):
 *  - `hostile-xml` (named `xml-hostile` before, one name per concept with core/osci): DOCTYPE / entity declarations (refused outright: entity bombs, external entities);
 *  - `xml-malformed`: not well-formed XML (parser message with line and column, never content), also a character
 *    XML 1.0 does not allow (U+0000, other control characters, U+FFFE, U+FFFF);
 *  - `xml-encoding`: invalid UTF-8 or an encoding other than UTF-8;
 *  - `xml-limit`: nesting too deep, a text node too large, too many elements;
 *  - `xml-empty`: no bytes or no root element;
 *  - `document-missing`: an inline document that the view refers to is not (or no longer) in the source.
 */
import { PostfachError } from '../errors.js';

export function hostileXml(detail: string): PostfachError {
  return new PostfachError(
    'hostile-xml',
    {
      de: 'Der Inhalt enthält eine DOCTYPE- oder Entity-Deklaration und wird aus Sicherheitsgründen nicht gelesen.',
      en: 'The content contains a DOCTYPE or entity declaration and is not read for security reasons.',
    },
    detail,
  );
}

export function malformedXml(detail: string): PostfachError {
  return new PostfachError(
    'xml-malformed',
    {
      de: 'Der Inhalt ist kein gültiges XML (nicht wohlgeformt) und kann nicht angezeigt werden.',
      en: 'The content is not valid XML (not well-formed) and cannot be shown.',
    },
    detail,
  );
}

export function badEncoding(detail: string): PostfachError {
  return new PostfachError(
    'xml-encoding',
    {
      de: 'Der Inhalt ist nicht korrekt als UTF-8 kodiert und kann nicht angezeigt werden.',
      en: 'The content is not correctly encoded as UTF-8 and cannot be shown.',
    },
    detail,
  );
}

export function limitExceeded(detail: string): PostfachError {
  return new PostfachError(
    'xml-limit',
    {
      de: 'Der Inhalt überschreitet eine Sicherheitsgrenze (Verschachtelungstiefe, Textlänge oder Umfang) und wird nicht gelesen.',
      en: 'The content exceeds a safety limit (nesting depth, text length or size) and is not read.',
    },
    detail,
  );
}

export function emptyXml(detail: string): PostfachError {
  return new PostfachError(
    'xml-empty',
    {
      de: 'Der Inhalt ist leer oder enthält kein XML-Element.',
      en: 'The content is empty or contains no XML element.',
    },
    detail,
  );
}

export function documentMissing(detail: string): PostfachError {
  return new PostfachError(
    'document-missing',
    {
      de: 'Das Dokument ist im Inhalt nicht (mehr) vorhanden oder beschädigt.',
      en: 'The document is not (or no longer) present in the content, or it is damaged.',
    },
    detail,
  );
}
