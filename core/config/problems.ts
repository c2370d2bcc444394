/**
 * What went wrong in a settings layer: reported (German sentence + technical detail), never silently ignored — and
 * the program starts all the same with the valid rest of every layer.
 */
import { PostfachError, type UserText } from '../errors.js';

export type ConfigLayer = 'policy' | 'machine-file' | 'user';

export interface ConfigProblem {
  readonly layer: ConfigLayer;
  /** The setting concerned (its key), where the problem is one value. */
  readonly setting?: string;
  readonly text: UserText;
  /** For IT: where exactly and why (value names, file, line) — settings hold no personal data. */
  readonly detail: string;
}

const LAYER_WORDS: Record<ConfigLayer, UserText> = {
  policy: { de: 'Gruppenrichtlinie', en: 'group policy' },
  'machine-file': { de: 'Konfigurationsdatei des PCs', en: 'machine configuration file' },
  user: { de: 'Benutzereinstellungen', en: 'user settings' },
};

export function layerWords(layer: ConfigLayer): UserText {
  return LAYER_WORDS[layer];
}

export function problem(layer: ConfigLayer, what: UserText, detail: string, setting?: string): ConfigProblem {
  const where = LAYER_WORDS[layer];
  return {
    layer,
    ...(setting === undefined ? {} : { setting }),
    text: {
      de: `Fehler in der ${where.de}: ${what.de} Der Wert wird nicht verwendet; bitte die IT informieren.`,
      en: `Error in the ${where.en}: ${what.en} The value is not used; please inform IT.`,
    },
    detail,
  };
}

/** A problem as an error object (for `--json` output and the contract). */
export function problemError(p: ConfigProblem): PostfachError {
  return new PostfachError('config-invalid', p.text, p.detail);
}
