#!/usr/bin/env node
// Renders the program icon from its SVGs (resources/icons/postfach.svg from 48 px up, postfach-small.svg for 16–32 px)
// into PNGs of every size Windows and Linux use, and packs the Windows sizes into resources/icons/postfach.ico
// (PNG-compressed entries, as Windows Vista and later read them). A developer tool: run it after changing an SVG
// (`node build/icons/make-icons.mjs`) and commit the results; it needs Debian's Chromium (/usr/bin/chromium)
// through playwright-core. tests/ops/package-config.test.ts checks the committed set.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dir = fileURLToPath(new URL('../../resources/icons/', import.meta.url));
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0); // 0 means 256
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2); // no palette
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const rendered = new Map();
  for (const size of PNG_SIZES) {
    const svg = readFileSync(path.join(dir, size <= 32 ? 'postfach-small.svg' : 'postfach.svg'), 'utf8');
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent"><img style="display:block;width:${size}px;height:${size}px" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`,
    );
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    rendered.set(size, png);
    writeFileSync(path.join(dir, `postfach-${size}.png`), png);
    console.log(`resources/icons/postfach-${size}.png`);
  }
  writeFileSync(path.join(dir, 'postfach.ico'), ico(ICO_SIZES.map((size) => ({ size, png: rendered.get(size) }))));
  console.log('resources/icons/postfach.ico');
} finally {
  await browser.close();
}
