import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { discordRegister } from './discord-register.js';
import { formatDoctorReport, runDoctor } from './doctor.js';
import { registerGenerateCommand } from './generate.js';
import { registerImportCommand } from './import-history-command.js';
import { registerModelCommands } from './model-commands.js';
import { runBotProcess } from './bot-process.js';
import { runStart } from './start.js';
import { runTrainerProcess } from './trainer-process.js';
import { runWorkerProcess } from './worker-process.js';
import { errorCodeOf } from '../errors/coded-error.js';

/**
 * `lstm-bot`: one command line for every process and tool. Each subcommand's work lives in its own
 * composition root under `src/main/`; this file only wires names and flags to them.
 */
export function buildCli(): Command {
  const program = new Command('lstm-bot')
    .description('A Discord and Slack bot that continues your sentences with a word-level LSTM.')
    .version(packageVersion(), '-V, --version', "print lstm-bot's version")
    .showHelpAfterError()
    .exitOverride();

  program
    .command('doctor')
    .description('check config, Redis, the TensorFlow backend and the models; exit 1 on any problem')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await runDoctor();
      console.log(options.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report));
      process.exitCode = report.ok ? 0 : 1;
    });

  registerModelCommands(program);
  registerGenerateCommand(program);
  registerImportCommand(program);
  program
    .command('start')
    .description('run bot and worker together, with the console channel when no platform token is set')
    .action(runStart);
  program.command('bot').description('run the platform adapters and deliver answers (no worker)').action(runBotProcess);
  program.command('worker').description('run a generation worker (any number, on any hosts)').action(runWorkerProcess);
  program
    .command('trainer')
    .description('run a training worker: /retrain jobs, each in a child process (any number, on any hosts)')
    .action(runTrainerProcess);

  program
    .command('discord')
    .description('Discord tools')
    .command('register')
    .description('register the slash commands with Discord (globally, or in one server with --guild)')
    .option('--guild <id>', 'register in this server only (instant; for development)')
    .action(async (options: { guild?: string }) => {
      try {
        console.log(await discordRegister(options));
      } catch (error) {
        console.error(`lstm-bot discord register: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    });

  return program;
}

/** The `version` of the package.json beside `src/` and `dist/`. */
function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    // A start-up failure (a refused token, an unreachable platform) is one clear line, not a stack
    // trace; other processes may still hold handles open, so exit now.
    console.error(describeFatal(error));
    process.exit(1);
  }
}

/** `lstm-bot: <message>` for coded errors; unexpected ones also get their stack with LOG_LEVEL=debug. */
export function describeFatal(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCodeOf(error, '');
  if (code !== '') return `lstm-bot: ${message} (${code})`;
  const debug = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';
  return debug && error instanceof Error && error.stack
    ? `lstm-bot: unexpected error: ${error.stack}`
    : `lstm-bot: unexpected error: ${message} (run with LOG_LEVEL=debug for details)`;
}
