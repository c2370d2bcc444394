/**
 * The layering rule (build/eslint/layering.ts over build/architecture/layers.ts) fails on forbidden imports and
 * passes allowed ones. Each fixture in fixtures/ is linted with the project's real ESLint configuration as if it
 * lived at a path in the product tree, so the part it is judged as is the part of that path. Type information is
 * switched off for these texts (they are not in any tsconfig); the layering rule needs none. The whole tree is
 * linted by `npm run lint` in `npm test`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXCEPTIONS, type LayerException } from '../../build/architecture/layers.js';
import { projectRoot } from '../helpers/shared.js';

const fixture = (name: string): string => readFileSync(path.join(projectRoot, 'tests', 'architecture', 'fixtures', name), 'utf8');

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: projectRoot,
    overrideConfig: [{ ...tseslint.configs.disableTypeChecked, files: ['**/*.{ts,tsx}'] }],
  });
});

async function lintAs(name: string, filePath: string): Promise<ESLint.LintResult> {
  const [result] = await eslint.lintText(fixture(name), { filePath: path.join(projectRoot, filePath) });
  if (result === undefined) throw new Error(`no lint result for ${name}`);
  return result;
}

const layering = (result: ESLint.LintResult) => result.messages.filter((m) => m.ruleId === 'local/layering');

describe('the layering rule fails on forbidden imports (issue 11: the five violations, and more)', () => {
  const violations: ReadonlyArray<{ name: string; as: string; message: RegExp }> = [
    {
      name: 'osci-imports-store.ts',
      as: 'core/osci/layering-fixture.ts',
      message: /part 'osci' may not import part 'store' \(core\/store\/index\.ts\)\. 'osci' may import: pki, io, xml, errors/,
    },
    { name: 'xsozial-imports-osci.ts', as: 'core/xsozial/layering-fixture.ts', message: /part 'xsozial' may not import part 'osci'/ },
    { name: 'store-imports-mailbox.ts', as: 'core/store/layering-fixture.ts', message: /part 'store' may not import part 'mailbox'/ },
    {
      name: 'renderer-imports-osci-type.ts',
      as: 'renderer/src/message/layering-fixture.ts',
      message: /part 'renderer' may not import part 'osci'.*'renderer' may import: contract, xsozial-view, errors/,
    },
    { name: 'renderer-imports-osci-value.ts', as: 'renderer/src/message/layering-fixture.ts', message: /part 'renderer' may not import part 'osci'/ },
    { name: 'mailbox-imports-intermediary.ts', as: 'core/mailbox/layering-fixture.ts', message: /part 'mailbox' may not import part 'intermediary'/ },
    { name: 'mailbox-imports-contract.ts', as: 'core/mailbox/layering-fixture.ts', message: /part 'mailbox' may not import part 'contract'/ },
    { name: 'renderer-imports-service.ts', as: 'renderer/src/message/layering-fixture.ts', message: /part 'renderer' may not import part 'service'/ },
    { name: 'store-imports-electron.ts', as: 'core/store/layering-fixture.ts', message: /part 'store' \(.*\) may not use 'electron'/ },
    {
      name: 'contract-imports-node.ts',
      as: 'core/api/contract/layering-fixture.ts',
      message: /part 'contract' \(anywhere\) may not use 'node:fs'\. 'contract' may use: zod/,
    },
    { name: 'renderer-imports-node.ts', as: 'renderer/src/message/layering-fixture.ts', message: /part 'renderer' \(.*\) may not use 'node:path'/ },
  ];

  for (const v of violations) {
    it(`${v.name} as ${v.as}`, async () => {
      const messages = layering(await lintAs(v.name, v.as));
      expect(messages).toHaveLength(1);
      expect(messages[0]?.severity).toBe(2);
      // the message names the rule, the importing part and what it may import
      expect(messages[0]?.message).toMatch(/^local\/layering: /);
      expect(messages[0]?.message).toMatch(v.message);
      expect(messages[0]?.message).toContain('build/architecture/layers.ts');
    });
  }
});

describe('the layering rule passes allowed imports', () => {
  it('the renderer using the contract, the client, the errors and React: no message at all', async () => {
    expect((await lintAs('renderer-uses-contract.ts', 'renderer/src/message/layering-fixture.ts')).messages).toEqual([]);
  });

  it('the protocol layer using pki, io and Node: no message at all', async () => {
    expect((await lintAs('osci-uses-pki-io.ts', 'core/osci/layering-fixture.ts')).messages).toEqual([]);
  });
});

describe('the exceptions of build/architecture/layers.ts only shrink', () => {
  it('none are left (issue 11: postfach demo, the last, goes through the contract)', () => {
    expect(EXCEPTIONS).toEqual([]);
  });

  // the mechanism, with an exception of the test's own: what the demo command was excused for until issue 11
  const excused: LayerException = { from: ['cli/commands/demo.ts'], to: ['app'], reason: 'test', removedBy: 'test' };
  const lintWithException = async (text: string): Promise<string[]> => {
    const withList = new ESLint({
      cwd: projectRoot,
      overrideConfig: [
        { ...tseslint.configs.disableTypeChecked, files: ['**/*.{ts,tsx}'] },
        { files: ['**/*.ts'], rules: { 'local/layering': ['error', { exceptions: [excused] }] } },
      ],
    });
    const [result] = await withList.lintText(text, { filePath: path.join(projectRoot, excused.from[0]!) });
    return result === undefined ? [] : layering(result).map((m) => m.message);
  };
  const demoImport = "import { startDemoMailbox } from '../../app/demo-mailbox.js';\nexport const start = startDemoMailbox;\n";

  it('the command line importing app/ is forbidden without an exception, and excused by one', async () => {
    const [result] = await eslint.lintText(demoImport, { filePath: path.join(projectRoot, 'cli/commands/demo.ts') });
    expect(layering(result!).map((m) => m.message)).toEqual([expect.stringMatching(/^local\/layering: part 'cli' may not import part 'app'/)]);
    expect(await lintWithException(demoImport)).toEqual([]);
  });

  it('a listed exception that no import needs any more is reported', async () => {
    expect(await lintWithException('export const unused = 1;\n')).toEqual([
      expect.stringMatching(/^local\/layering: the exception cli\/commands\/demo\.ts → 'app' is no longer needed/),
    ]);
  });

  it('an arrow for types only does not excuse a value import', async () => {
    // the host may import the store's types (the key protector it lends the service), never its code
    const text = "import { PostfachStore } from '../store/index.js';\nexport const store = PostfachStore;\n";
    const [result] = await eslint.lintText(text, { filePath: path.join(projectRoot, 'core/api/service-host.ts') });
    expect(result?.messages.filter((m) => m.ruleId === 'local/layering').map((m) => m.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/part 'host' may import only types from part 'store'/)]),
    );
  });
});

describe('every file belongs to a part', () => {
  it('a file outside every part is reported', async () => {
    const [result] = await eslint.lintText('export const x = 1;\n', { filePath: path.join(projectRoot, 'lib/unplaced.ts') });
    expect(result?.messages.map((m) => m.message)).toEqual([expect.stringMatching(/^local\/layering: lib\/unplaced\.ts belongs to no part/)]);
  });
});
