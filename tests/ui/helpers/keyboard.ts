/** Keyboard helpers: what has focus, and whether that focus can be seen. */
import type { Page } from 'playwright-core';

export interface FocusInfo {
  readonly tag: string;
  readonly text: string;
  readonly role: string | null;
  /** outline width in CSS pixels (0 when none), and whether outline-style is visible. */
  readonly outlineWidth: number;
  readonly outlineVisible: boolean;
}

export function focusInfo(page: Page): Promise<FocusInfo | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (el === null || el === document.body) return null;
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.textContent ?? '').trim().slice(0, 80),
      role: el.getAttribute('role'),
      outlineWidth: parseFloat(style.outlineWidth) || 0,
      outlineVisible: style.outlineStyle !== 'none' && style.outlineStyle !== '',
    };
  });
}

/** Presses Tab until `predicate` matches the focused element (at most `limit` times). */
export async function tabTo(page: Page, predicate: (f: FocusInfo) => boolean, limit = 20): Promise<FocusInfo> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focusInfo(page);
    if (f !== null && predicate(f)) return f;
  }
  throw new Error(`no focusable element matched within ${limit} Tab presses`);
}
