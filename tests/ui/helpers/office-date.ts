/**
 * Entering a day in the UI's date fields (renderer/src/components/OfficeDateField.tsx) as a caseworker does: the
 * segments TT.MM.JJJJ typed in that order, by keyboard. The field's `data-value` is the office day it holds.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** The text the field shows: its segments joined ("05.12.2026"). */
export function officeDayShown(page: Page, testId: string): Promise<string> {
  return page
    .getByTestId(testId)
    .locator('.office-date__input')
    .evaluate((e) => (e.textContent ?? '').replace(/[\u2066-\u2069\u200e\u200f]/g, '').trim());
}

/** Types `day` ("2026-12-05") into the field from its first segment (the day); waits until the field holds it. */
export async function enterOfficeDay(page: Page, testId: string, day: string, options: { alreadyFocused?: boolean } = {}): Promise<void> {
  const [year, month, date] = day.split('-') as [string, string, string];
  if (options.alreadyFocused !== true) await page.getByTestId(testId).getByRole('spinbutton').first().focus();
  await page.keyboard.type(`${date}${month}${year}`);
  await expect.poll(() => page.getByTestId(testId).getAttribute('data-value')).toBe(day);
}
