/**
 * What starts import statically. `postfach ui --browser` prints the bridge's address before it loads the contract (zod and every schema: about
 * 0.15 s): what the command and the bridge import statically reaches neither, so the browser fetches the UI while
 * they load (core/api/bridge-server.ts `loadChecks`, cli/commands/ui.ts). The calls still pass every check: the
 * bridge's own tests (bridge-server.test.ts) call it through real HTTP. The service's worker answers its first
 * calls before it loads the MailboxService (core/api/service-start.ts; service-stages.test.ts runs it).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every project file and package the file reaches through static imports (not `import type`, not `import()`). */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [path.join(root, entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
        if (existsSync(target)) todo.push(target);
        else if (existsSync(target.replace(/\.ts$/, '.tsx'))) todo.push(target.replace(/\.ts$/, '.tsx'));
      } else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return { files, packages };
}

describe('the browser mode listens before the contract loads', () => {
  it('the ui command and the bridge reach neither zod nor the contract through static imports', () => {
    const { files, packages } = staticGraph('cli/commands/ui.ts');
    const relative = [...files].map((f) => path.relative(root, f));
    expect(relative).toContain('core/api/bridge-server.ts');
    expect(packages).not.toContain('zod');
    expect(relative).not.toContain('core/api/contract.ts');
    expect(relative).not.toContain('core/api/service-host.ts');
  });

  it("the service's first stage reaches none of the MailboxService's modules through static imports", () => {
    // service-entry.ts loads the first stage (service-start.ts) and the runtime; service.ts is the second stage
    const entry = readFileSync(path.join(root, 'core/api/service-entry.ts'), 'utf8');
    expect(entry).toMatch(/import\('\.\/service-start\.js'\)/);
    expect(entry).not.toMatch(/import\('\.\/service\.js'\)/);
    const first = new Set([...staticGraph('core/api/service-start.ts').files, ...staticGraph('core/api/service-runtime.ts').files].map((f) => path.relative(root, f)));
    expect(first).toContain('core/app/service-core.ts');
    const second = [...staticGraph('core/api/service.ts').files].map((f) => path.relative(root, f));
    for (const heavy of [
      'core/api/service.ts',
      'core/app/mailbox-service.ts',
      'core/mailbox/fetch-engine.ts',
      'core/mailbox/trusted-cas.ts',
      'core/app/handover-runner.ts',
      'core/mailbox/message-detail.ts',
    ]) {
      expect(first, heavy).not.toContain(heavy);
      // the walk sees them where they are imported
      expect(second, heavy).toContain(heavy);
    }
  });

  it('the graph walk sees zod where it is imported (the check can fail)', () => {
    expect(staticGraph('core/api/dispatch.ts').packages).toContain('zod');
    expect([...staticGraph('core/api/worker-service.ts').files].map((f) => path.relative(root, f))).toContain('core/api/contract.ts');
  });
});
