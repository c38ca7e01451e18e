import { Command, CommanderError } from 'commander';
import { registerPlanCommand } from './cli/plan';
import { registerRunCommand } from './cli/run';
import { EXIT_USAGE } from './cli/exit-codes';

// The kmm-hub-controller command line. Each subcommand is its own module under cli/ exporting a
// `register...Command(program)` function, called below; the controller's long-running `run` subcommand
// registers itself with `{ isDefault: true }`, so that no subcommand means run.

function buildProgram(): Command {
  const program = new Command('kmm-hub-controller')
    .description('kmm-hub: Kernel Module Management hub controller for ACM/OCM fleets')
    // bad flags exit 2 with commander's one-line message (help and --version still exit 0)
    .exitOverride()
    .showSuggestionAfterError(false);
  registerPlanCommand(program);
  registerRunCommand(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    throw e;
  }
}

void main(process.argv);
