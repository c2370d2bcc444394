/**
 * Copy is the caseworker's main action: every value has one of these. Writes plain text to the clipboard and says
 * so in the status bar (screen readers hear it); the button itself says briefly "Kopiert".
 */
import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { PostfachError } from '../../../core/errors.js';
import { useT } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { IconCheck, IconCopy } from './Icons.js';

/**
 * Writes plain text to the clipboard, always in Unicode NFC (one code point per letter where one exists: "ü" as
 * c3 bc, never u + combining diaeresis), so what lands in a case system compares equal to what is typed there;
 * a refusal (a policy, a missing permission) becomes a PostfachError.
 */
export async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text.normalize('NFC'));
  } catch (error) {
    throw new PostfachError(
      'clipboard',
      { de: 'Kopieren in die Zwischenablage nicht möglich.', en: 'Copying to the clipboard is not possible.' },
      `clipboard.writeText refused: ${error instanceof Error ? error.name : 'error'}`,
    );
  }
}

/** `text`: what to copy, or how to get it (a value the window shows shortened is fetched whole first). */
export function CopyButton({
  text,
  label,
  announce,
  className,
  showText = false,
  textLabel,
}: {
  text: string | (() => Promise<string>);
  label: string;
  announce: string;
  className?: string;
  showText?: boolean;
  textLabel?: string;
}) {
  const t = useT();
  const { announce: say, reportError } = useStatus();
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => setDone(false), 1500);
    return () => clearTimeout(timer);
  }, [done]);
  const copy = (): void => {
    (typeof text === 'string' ? Promise.resolve(text) : text()).then(writeClipboard).then(() => {
      setDone(true);
      say(announce);
    }, reportError);
  };
  return (
    <Button className={className ?? 'button button--icon'} aria-label={label} onPress={copy} data-copied={done || undefined}>
      {done ? <IconCheck /> : <IconCopy />}
      {showText ? <span>{done ? t.common.copied : (textLabel ?? t.common.copy)}</span> : null}
    </Button>
  );
}
