/**
 * The Windows path, checked where no Windows exists (issue 15):
 *  - .github/workflows/windows.yml against SchemaStore's published workflow schema (ajv; the schema file is kept in
 *    build/windows/schemastore/ with its source and SHA-256), and for the steps the issue asks for;
 *  - build/windows/verify.ps1 parsed with the tree-sitter PowerShell grammar (tree-sitter-powershell's WebAssembly
 *    build in web-tree-sitter — a third-party grammar, NOT PowerShell's own parser, which does not exist for this
 *    machine), plus what can be checked statically: every command it calls is defined or a known cmdlet, every
 *    variable it reads is assigned somewhere, the switches and report fields it uses exist in the program, the
 *    UpgradeCode and program name match the MSI configuration, msiexec runs silently with a verbose log;
 *  - the version of the previous MSI for the upgrade test.
 * What this cannot check: that the script and the workflow do what they should on Windows. That is the first run
 * of the workflow (README, "What has and has not run on Windows").
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv from 'ajv';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { isMsiUpgrade, parseMsiVersion, previousMsiConfig, previousMsiVersion } from '../../build/windows/msi-versions.js';
import { parseSelfTestArguments, SELF_TEST_REPORT } from '../../electron/self-test.js';
import { projectRoot } from '../helpers/shared.js';

const require = createRequire(import.meta.url);
const read = (relative: string): string => readFileSync(path.join(projectRoot, relative), 'utf8');

const workflowText = read('.github/workflows/windows.yml');
const workflow = parseYaml(workflowText, { uniqueKeys: true }) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Array<{ name?: string; run?: string; uses?: string; with?: Record<string, string>; shell?: string }> }>;
};
const builder = JSON.parse(read('build/electron-builder.json')) as { msi: { upgradeCode: string }; win: { executableName: string } };

describe('.github/workflows/windows.yml', () => {
  const schemaFile = 'build/windows/schemastore/github-workflow.json';
  const schema = JSON.parse(read(schemaFile)) as { $id: string };
  const ajv = new Ajv.default({ allErrors: true, strict: false, allowUnionTypes: true });
  const validate = ajv.compile(schema);

  it('keeps SchemaStore’s schema unchanged, with its source named', () => {
    expect(schema.$id).toBe('https://json.schemastore.org/github-workflow.json');
    const sha256 = createHash('sha256')
      .update(readFileSync(path.join(projectRoot, schemaFile)))
      .digest('hex');
    const source = read('build/windows/schemastore/SOURCE.md');
    expect(source).toContain(`\`${sha256}\``);
    expect(source).toContain('`@action-validator/core` **0.6.0**');
  });

  it('is valid against SchemaStore’s github-workflow schema', () => {
    expect(validate(workflow), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('the schema check can fail: a misspelt key, a job without runs-on, a bad trigger', () => {
    const copy = () => parseYaml(workflowText) as Record<string, any>;
    const misspelt = copy();
    misspelt.jobs.msi['timeout-minute'] = 5;
    expect(validate(misspelt)).toBe(false);
    const noRunner = copy();
    delete noRunner.jobs.test['runs-on'];
    expect(validate(noRunner)).toBe(false);
    const badTrigger = copy();
    badTrigger.on = { pushed: null };
    expect(validate(badTrigger)).toBe(false);
    const badStep = copy();
    badStep.jobs.test.steps[0] = { name: 'neither run nor uses' };
    expect(validate(badStep)).toBe(false);
    expect(() => parseYaml(`${workflowText}\npermissions: {}\n`, { uniqueKeys: true })).toThrow(/unique|duplicate/i);
  });

  it('runs on windows-latest with read-only permissions, on pushes, pull requests and by hand', () => {
    expect(Object.keys(workflow.jobs).sort()).toEqual(['msi', 'test']);
    for (const job of Object.values(workflow.jobs)) expect(job['runs-on']).toBe('windows-latest');
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch']);
  });

  const runs = (job: string): string[] => (workflow.jobs[job]?.steps ?? []).map((s) => s.run ?? '').filter((r) => r !== '');

  it('test job: npm ci, the Electron binary, npm test with a JUnit report, artifacts even on failure', () => {
    const steps = runs('test');
    expect(steps).toContain('npm ci');
    expect(steps).toContain('node node_modules/electron/install.js');
    expect(steps.find((r) => r.startsWith('npm test'))).toContain('--reporter=junit --outputFile.junit=test-report/junit.xml');
    const upload = workflow.jobs.test?.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toMatchObject({ if: 'always()' });
    expect(upload?.with?.path).toContain('test-report/');
  });

  it('msi job: previous MSI, dist:win, the packaged app’s store self-test, verify.ps1 with the previous MSI, artifacts', () => {
    const steps = runs('msi');
    const order = ['npm ci', 'npm run build', 'npx tsx build/windows/build-previous-msi.ts', 'npm run dist:win'].map((r) => steps.indexOf(r));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const packaged = steps.find((r) => r.includes('--self-test=store')) ?? '';
    expect(packaged).toContain('release\\win-unpacked\\OSCI-Postfach.exe');
    expect(packaged).toContain('app.asar.unpacked\\node_modules\\better-sqlite3-multiple-ciphers\\build\\Release\\better_sqlite3.node');
    const verify = steps.find((r) => r.includes('verify.ps1')) ?? '';
    expect(verify).toMatch(/-Msi \$msi -PreviousMsi \$previous -OutDir verify-report/);
    expect(verify).toContain('exit $LASTEXITCODE');
    const upload = workflow.jobs.msi?.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toMatchObject({ if: 'always()' });
    for (const p of ['release/*.msi', 'release-previous/*.msi', 'verify-report/']) expect(upload?.with?.path).toContain(p);
  });

  it('uses a Node.js that the packaging tools accept (they declare more than the program’s own 20.19)', () => {
    const env = (parseYaml(workflowText) as { env: Record<string, string> }).env;
    const major = Number(env.NODE_VERSION);
    for (const tool of ['@electron/get', '@electron/rebuild', 'app-builder-lib']) {
      const engines = (JSON.parse(readFileSync(path.join(projectRoot, 'node_modules', tool, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node ?? '';
      const least = /(\d+)\.(\d+)/.exec(engines);
      // setup-node takes the newest release of the major version, which is past any minor a tool asks for
      if (least !== null) expect(Number(least[1]), `${tool} needs Node.js ${engines}`).toBeLessThanOrEqual(major);
    }
  });

  it('names only files that exist in the repository or that npm ci installs', () => {
    const mentioned = [...workflowText.matchAll(/\b((?:build|node_modules)[\\/][\w./\\-]+\.(?:ps1|ts|mjs|js))\b/g)].map((m) => (m[1] ?? '').replaceAll('\\', '/'));
    expect(mentioned.length).toBeGreaterThan(2);
    for (const file of new Set(mentioned)) expect(existsSync(path.join(projectRoot, file)), file).toBe(true);
  });

  it('builds the MSI with the same version the package says, and the previous one lower', () => {
    const pkg = JSON.parse(read('package.json')) as { version: string };
    expect(() => parseMsiVersion(pkg.version)).not.toThrow();
    expect(isMsiUpgrade(previousMsiVersion(pkg.version), pkg.version)).toBe(true);
  });
});

describe('the previous MSI’s version', () => {
  it('is the highest version Windows Installer still orders before this one', () => {
    expect(previousMsiVersion('0.1.0')).toBe('0.0.65535');
    expect(previousMsiVersion('1.4.7')).toBe('1.4.6');
    expect(previousMsiVersion('2.0.0')).toBe('1.255.65535');
    expect(() => previousMsiVersion('0.0.0')).toThrow(/no previous/);
    expect(() => previousMsiVersion('1.0.0-beta.1')).toThrow(/plain x\.y\.z/);
    expect(() => previousMsiVersion('256.0.0')).toThrow(/at most/);
    expect(isMsiUpgrade('0.0.65535', '0.1.0')).toBe(true);
    expect(isMsiUpgrade('0.1.0', '0.1.0')).toBe(false);
    expect(isMsiUpgrade('0.2.0', '0.1.9')).toBe(false);
  });

  it('changes only the version and the output folder of the MSI configuration', () => {
    const base = JSON.parse(read('build/electron-builder.json')) as Record<string, unknown>;
    const previous = previousMsiConfig(base, '0.0.65535', 'release-previous') as Record<string, any>;
    expect(previous.$schema).toBeUndefined();
    expect(previous.extraMetadata).toEqual({ productName: 'OSCI-Postfach', version: '0.0.65535' });
    expect(previous.directories).toEqual({ output: 'release-previous' });
    const { $schema: _a, extraMetadata: _b, directories: _c, ...rest } = base;
    const { extraMetadata: _d, directories: _e, ...restPrevious } = previous;
    expect(restPrevious).toEqual(rest);
    expect(previous.msi.upgradeCode).toBe(builder.msi.upgradeCode);
    // and electron-builder's own schema accepts it, as it accepts build/electron-builder.json
    const validate = new Ajv.default({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
      JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object,
    );
    expect(validate(previous), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });
});

describe('build/windows/verify.ps1', () => {
  const bytes = readFileSync(path.join(projectRoot, 'build/windows/verify.ps1'));
  const script = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let parser: Parser;
  let root: Node;

  beforeAll(async () => {
    await Parser.init();
    const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
    parser = new Parser();
    parser.setLanguage(language);
    root = (parser.parse(script) as { rootNode: Node }).rootNode;
  });

  const all = (node: Node, type: string, out: Node[] = []): Node[] => {
    if (node.type === type) out.push(node);
    for (const child of node.children) if (child !== null) all(child, type, out);
    return out;
  };

  it('parses without a syntax error under the tree-sitter PowerShell grammar; a broken copy does not', () => {
    const errors = all(root, 'ERROR').map((n) => `line ${n.startPosition.row + 1}: ${n.text.slice(0, 60)}`);
    expect(errors).toEqual([]);
    expect(root.hasError).toBe(false);
    const broken = (text: string): boolean => (parser.parse(text) as { rootNode: Node }).rootNode.hasError;
    expect(broken(script.replace('function Get-Installer {', 'function Get-Installer ('))).toBe(true);
    expect(broken(script.replace('Write-Host \'\'\n  Write-Host "== $Text"', "Write-Host ''\n  Write-Host \"== $Text"))).toBe(true);
  });

  it('is UTF-8 with a byte order mark (Windows PowerShell 5.1 reads a file without one as ANSI)', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
  });

  it('calls only functions it defines and known cmdlets', () => {
    const defined = new Set(all(root, 'function_name').map((n) => n.text));
    const cmdlets = new Set([
      'Set-StrictMode',
      'Write-Host',
      'New-Object',
      'Start-Process',
      'Join-Path',
      'Test-Path',
      'Resolve-Path',
      'Get-Content',
      'ConvertFrom-Json',
      'ConvertTo-Json',
      'Set-Content',
      'Where-Object',
      'ForEach-Object',
      'New-Item',
      'Out-Null',
      'Get-Location',
      'Get-Date',
    ]);
    const called = [...new Set(all(root, 'command_name').map((n) => n.text))];
    expect(called.filter((c) => !defined.has(c) && !cmdlets.has(c))).toEqual([]);
    // and every defined function is used
    expect([...defined].filter((f) => !called.includes(f))).toEqual([]);
  });

  it('reads no variable it never assigns (Set-StrictMode would stop there at run time)', () => {
    const name = (text: string): string => text.replace(/^\$(script:)?/i, '').toLowerCase();
    const assigned = new Set<string>();
    for (const node of all(root, 'left_assignment_expression')) for (const v of all(node, 'variable')) assigned.add(name(v.text));
    for (const node of [...all(root, 'script_parameter'), ...all(root, 'foreach_statement')]) {
      const first = all(node, 'variable')[0];
      if (first !== undefined) assigned.add(name(first.text));
    }
    const automatic = new Set(['_', 'null', 'true', 'false', 'lastexitcode']);
    const inStrings = all(root, 'expandable_string_literal').flatMap((s) => [...s.text.matchAll(/\$(\w+(?::\w+)?)/g)].map((m) => `$${m[1]}`));
    const read = [...all(root, 'variable').map((v) => v.text), ...inStrings].filter((v) => !/^\$env:/i.test(v));
    const unknown = [...new Set(read.map(name))].filter((v) => !assigned.has(v) && !automatic.has(v));
    expect(unknown).toEqual([]);
    expect(assigned.has('profile')).toBe(false); // $PROFILE is PowerShell's own
  });

  it('uses the MSI configuration’s UpgradeCode and program name, and msiexec always silent with a verbose log', () => {
    expect(script).toContain(`$UpgradeCode = '{${builder.msi.upgradeCode}}'`);
    expect(script).toContain(`$ExeName = '${builder.win.executableName}.exe'`);
    const msiexec = [...script.matchAll(/'msiexec\.exe'/g)];
    expect(msiexec).toHaveLength(1);
    expect(script).toMatch(/\$arguments = @\(\$Action, "`"\$Package`"", '\/qn', '\/norestart', '\/l\*v', "`"\$log`""\)/);
    const actions = [...script.matchAll(/Invoke-Msiexec '(\/[ix])' \$(\w+) '([\w-]+\.log)'/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(actions).toEqual(['/i PreviousMsi install-vorige.log', '/i Msi aktualisierung.log', '/i Msi install.log', '/x Msi deinstallation.log']);
    // a failure that stops the script still removes whichever version is installed, by its ProductCode
    expect(script).toMatch(/catch \{[\s\S]*foreach \(\$product in @\(Get-InstalledProducts\)\) \{\s*\$cleanup = Invoke-Msiexec '\/x' \$product\.ProductCode/);
  });

  it('starts the self-test with switches the program accepts, and reads fields the program writes', () => {
    const line = /\$arguments = @\("--user-data-dir=`"\$TempProfile`"", "--self-test=\$Mode", "--self-test-report=`"\$reportDir`""\)/;
    expect(script).toMatch(line);
    // the same switches as Windows hands them to the program (the quotes are removed by the command-line parser)
    for (const mode of [...script.matchAll(/Invoke-SelfTest '(\w+)'/g)].map((m) => m[1])) {
      expect(parseSelfTestArguments(['OSCI-Postfach.exe', '--user-data-dir=C:\\Temp\\p', `--self-test=${mode}`, '--self-test-report=C:\\Temp\\r'])).toMatchObject({
        kind: 'self-test',
      });
    }
    expect(script).toContain(`-ChildPath '${SELF_TEST_REPORT}'`);
    const selfTest = read('electron/self-test.ts');
    for (const [, step, fact] of script.matchAll(/Get-Fact \$\w+(?:\.Report)? '(\w+)' '(\w+)'/g)) {
      expect(selfTest, `${step}.${fact}`).toContain(`step('${step}'`);
      expect(selfTest, `${step}.${fact}`).toMatch(new RegExp(`facts\\.${fact} =`));
    }
  });

  it('needs administrator rights and a PC without the program, and keeps to the documented exit codes', () => {
    expect(script).toContain('[Security.Principal.WindowsBuiltInRole]::Administrator');
    expect(script).toContain('if (@(Get-InstalledProducts).Count -gt 0)');
    const exits = [...script.matchAll(/\bexit (\d+)/g)].map((m) => Number(m[1]));
    expect(new Set(exits)).toEqual(new Set([0, 1, 2]));
    expect(script).toContain('Exit-Code 0: alle Schritte bestanden; 1: ein Schritt ist gescheitert;');
  });
});
