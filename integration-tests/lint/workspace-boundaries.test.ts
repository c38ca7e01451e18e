import { join } from 'node:path';
import { ESLint } from 'eslint';

// The project's own eslint configuration on fixture sources placed (virtually) in each workspace: the rules that
// keep the package boundaries visible must fire on the imports they exist to refuse, and stay quiet otherwise.

const ROOT = join(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const fixtures = {
  deepIntoController:
    "import { cloneJson } from '../../../controller/src/model/json';\nexport const c = cloneJson;\n",
  deepIntoSandbox: "export { startSandbox } from '../../sandbox/src';\n",
  deepRequire: "const m = require('../../controller/src/model');\nexport default m;\n",
  byPackage: "import { cloneJson } from 'kmm-hub-controller/model';\nexport const c = cloneJson;\n",
  withinWorkspace: "import { timestamp } from './conditions';\nexport const t = timestamp;\n",
  sandboxByName:
    "import { startSandbox } from 'kmm-hub-sandbox';\nexport const s = startSandbox;\n",
  controllerRuntime:
    "import { mapLimit } from 'kmm-hub-controller/runtime';\nexport const m = mapLimit;\n",
};

describe('workspace boundaries (eslint)', () => {
  it('refuses a relative import from the sandbox into the controller', async () => {
    expect(await problems('sandbox/src/fleet/fixture.ts', fixtures.deepIntoController)).toEqual([
      expect.stringMatching(
        /^kmm-hub\/no-cross-workspace-import: '..\/..\/..\/controller\/src\/model\/json' leaves the sandbox\/ workspace for controller\//,
      ),
    ]);
  });

  it('refuses relative re-exports and requires that leave the root workspace', async () => {
    expect(
      await problems('integration-tests/controller/fixture.ts', fixtures.deepIntoSandbox),
    ).toEqual([expect.stringContaining('leaves the root workspace for sandbox/')]);
    const required = await problems('src/utils/fixture.ts', fixtures.deepRequire);
    expect(required).toContainEqual(
      expect.stringContaining('leaves the root workspace for controller/'),
    );
  });

  it('accepts imports by package name and relative imports inside a workspace', async () => {
    expect(await problems('sandbox/src/fleet/fixture.ts', fixtures.byPackage)).toEqual([]);
    expect(await problems('sandbox/src/fleet/fixture.ts', fixtures.withinWorkspace)).toEqual([]);
    expect(await problems('integration-tests/fixture.ts', fixtures.sandboxByName)).toEqual([]);
  });

  it('keeps product code away from the sandbox, and the plugin on the pure model', async () => {
    expect(await problems('controller/src/fixture.ts', fixtures.sandboxByName)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*the sandbox/),
    ]);
    expect(await problems('src/utils/fixture.ts', fixtures.sandboxByName)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*the sandbox/),
    ]);
    expect(await problems('src/utils/fixture.ts', fixtures.controllerRuntime)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*only kmm-hub-controller\/model/),
    ]);
    expect(await problems('src/utils/fixture.ts', fixtures.byPackage)).toEqual([]);
  });
});
