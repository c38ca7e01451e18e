import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerPlanCommand } from './cli/plan';
import { registerRunCommand } from './cli/run';
import { EXIT_USAGE } from './cli/exit-codes';

// The kmm-hub-controller command line. Each subcommand is its own module under cli/ exporting a
// `register...Command(program)` function, called below; the controller's long-running `run` subcommand
// registers itself with `{ isDefault: true }`, so that no subcommand means run.

/** Read at run time: src/ and the compiled dist/ both sit one level under the package's root. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function buildProgram(): Command {
  const program = new Command('kmm-hub-controller')
    .description('kmm-hub: Kernel Module Management hub controller for ACM/OCM fleets')
    .version(packageVersion())
    // bad flags exit 2 with commander's one-line message (help and --version still exit 0)
    .exitOverride()
    .showSuggestionAfterError(false);
  registerPlanCommand(program);
  registerRunCommand(program);
  return program;
}

/**
 * A mistyped subcommand (`kmm-hub-controller plna`) would reach the default command as an argument and be
 * reported as "too many arguments for 'run'": name it as an unknown command instead.
 */
function unknownCommand(program: Command, argv: string[]): string | undefined {
  const first = argv[2];
  if (first === undefined || first.startsWith('-')) return undefined;
  const known = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (known.includes(first) || first === 'help') return undefined;
  return `error: unknown command '${first}'; the commands are ${known.join(', ')} (--help describes them)`;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  const unknown = unknownCommand(program, argv);
  if (unknown) {
    process.stderr.write(`${unknown}\n`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    throw e;
  }
}

void main(process.argv);
