/**
 * "Block kopieren" (Strg+Umschalt+C): the block in focus — without one, the first block a caseworker reads (never
 * the technical facts) — whole (values cut for the screen are read in full) as text to the clipboard.
 */
import { useCallback } from 'react';
import { isolatedText } from '../../../core/visible-text.js';
import { useApi } from '../api/api-context.js';
import { writeClipboard } from '../components/CopyButton.js';
import { useLanguage } from '../i18n/i18n.js';
import { useReadingWords } from '../i18n/words-reading.js';
import { useStatus } from '../shell/status.js';
import { blockText, type Detail } from './types.js';
import { valueSource } from './value-source.js';

export function useCopyBlock(detail: Detail | null): () => void {
  const api = useApi();
  const { t, language } = useLanguage();
  const w = useReadingWords();
  const { announce, reportError } = useStatus();
  return useCallback(() => {
    const cards = detail?.view?.cards ?? [];
    if (cards.length === 0) return;
    const focusedCard = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-card]')?.dataset.card;
    const card = cards.find((c) => c.id === focusedCard) ?? cards.find((c) => c.kind !== 'technical' && c.collapsed !== true) ?? cards[0];
    if (card === undefined || detail === null) return;
    valueSource(api, detail.item.id)
      .fullCard(card)
      .then((whole) => writeClipboard(blockText(whole, language, { noValue: w.noValue })))
      .then(() => announce(t.common.copiedBlock(isolatedText(card.title[language]))), reportError);
  }, [api, detail, language, announce, reportError, t, w]);
}
