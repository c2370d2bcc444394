/**
 * Steps and checks shared by the mouse and the keyboard run of the caseworker flow: the service is asked directly
 * (through the same contract the UI uses) for what the screen must show, so expectations are never hard-coded.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { createApiClient } from '../../../core/api/client.js';
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import type { PostfachApi } from '../../../core/api/api-types.js';
import type { UiSession } from './ui-session.js';

export function serviceApi(ui: UiSession): PostfachApi {
  return createApiClient(ui.service.asBridge());
}

/** Waits until the Übungsmodus has made all its applications (they come in the background after it opened). */
export async function trainingPrepared(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="training-preparation"]')?.textContent === '', undefined, { timeout: 120_000 });
}

/** Every row the service lists (inbox), newest first — what the list must show. */
export async function listedItems(ui: UiSession, query: Record<string, unknown> = {}): Promise<MessageListItem[]> {
  return (await serviceApi(ui).call('messages.list', { limit: 1000, ...query })).items;
}

/** Starts recording the fetch progress texts the page shows (a MutationObserver in the page). */
export async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __progress: string[] }).__progress = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="fetch-progress-text"]')?.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

export async function recordedProgress(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
}

export async function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Saves a download and returns its bytes. */
export async function downloaded(download: Download, target: string): Promise<Buffer> {
  await download.saveAs(target);
  return readFileSync(target);
}

export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** How many pixels of the canvas are not white (a rendered PDF page has text). */
export async function inkedPixels(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector<HTMLCanvasElement>(sel);
    const context = canvas?.getContext('2d');
    if (!canvas || !context || canvas.width === 0) return 0;
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 16) if ((data[i] ?? 255) < 128) inked++;
    return inked;
  }, selector);
}

/** Replaces window.print (the system dialog cannot be driven headless) with a recorder of what would print. */
export async function recordPrints(page: Page): Promise<void> {
  await page.evaluate(() => {
    const printed: string[] = [];
    (window as unknown as { __printed: string[] }).__printed = printed;
    window.print = () => {
      const layer = document.querySelector('.print-root');
      printed.push(layer === null ? '' : (layer.textContent ?? ''));
    };
  });
}

export async function printedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __printed: string[] }).__printed);
}

/** The audit actions recorded for a message, in order. */
export async function auditActions(ui: UiSession, deliveryId: number): Promise<string[]> {
  const { entries } = await serviceApi(ui).call('audit.list', { deliveryId, limit: 1000 });
  return entries.map((e) => e.action);
}

/** Where the toolbar's parts are (rounded CSS pixels): the same before and during a fetch when nothing reflows. */
export async function toolbarBoxes(page: Page): Promise<Record<string, [number, number, number, number]>> {
  return page.evaluate(() => {
    const boxes: Record<string, [number, number, number, number]> = {};
    const parts = {
      fetch: '[data-testid="fetch-button"]',
      search: '[data-testid="search"]',
      searchField: '.toolbar .search',
      audit: '[data-testid="open-audit"]',
      settings: '[data-testid="open-settings"]',
      about: '[data-testid="open-about"]',
      toolbar: '.toolbar',
    };
    for (const [name, selector] of Object.entries(parts)) {
      const r = document.querySelector(selector)?.getBoundingClientRect();
      if (r) boxes[name] = [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)];
    }
    return boxes;
  });
}

/** WCAG contrast ratio of an element's text colour on its own (opaque) background colour. */
export async function textContrast(page: Page, selector: string): Promise<number> {
  const [fg, bg] = await page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const style = getComputedStyle(el);
      return [style.color, style.backgroundColor];
    });
  const rgb = (css: string): number[] => {
    const parts = (/rgba?\(([^)]+)\)/.exec(css)?.[1] ?? '').split(',').map((p) => Number(p.trim()));
    if (parts.length === 4 && parts[3] !== 1) throw new Error(`not opaque: ${css}`);
    return parts.slice(0, 3);
  };
  const luminance = (c: number[]): number => {
    const [r, g, b] = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [luminance(rgb(fg)), luminance(rgb(bg))].sort((x, y) => y - x) as [number, number];
  return (a + 0.05) / (b + 0.05);
}

/**
 * The start of an unread row's accessible name. The first row of each Eingang-day group starts with the group
 * ("Heute: …"; the headers themselves are hidden from screen readers, renderer/src/mailbox/day-groups.ts).
 */
export const UNREAD_NAME = /^(?:(?:Heute|Gestern|Diese Woche|Letzte Woche|Älter): )?ungelesen, /;
