import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { parseDecimal } from '../commands/command-usage.js';
import { isCodedError } from '../errors/coded-error.js';
import { generationOptionCodes } from '../errors/error-codes.js';
import { loadModel } from '../model/store/load-model.js';
import { LstmTextGenerator } from '../model/sampling/lstm-text-generator.js';
import { generationDefaults } from '../model/sampling/text-generator.js';

interface GenerateFlags {
  model: string;
  prompt: string;
  temperature: number;
  words: number;
  minWords?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  json?: boolean;
}

/** A flag's number as chat commands read one (`parseDecimal`: no `0x10`, `1e3` or `Infinity`). */
const number = (flag: string) => (value: string) => {
  const parsed = parseDecimal(value);
  if (parsed === undefined) throw new InvalidArgumentError(`${flag} must be a number.`);
  return parsed;
};

/**
 * Registers `lstm-bot generate --model DIR --prompt TEXT [...]`: loads a model folder and prints the prompt
 * followed by its continuation (or, with `--json`, the result with timing). Bad options print the
 * generator's one-line message and exit with code 2; a missing or broken model exits with code 1.
 */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('continue a prompt with a trained model')
    .requiredOption('--model <dir>', 'model folder (holding card.json)')
    .requiredOption('--prompt <text>', 'text to continue (may be empty: "")')
    .option(
      '--temperature <t>',
      'randomness from 0 (always the likeliest word) to 2',
      number('--temperature'),
      generationDefaults.temperature,
    )
    .option('--words <n>', 'most words to write', number('--words'), generationDefaults.maxWords)
    .option(
      '--min-words <n>',
      `words before the reply may end (default ${generationDefaults.minWords}, at most --words)`,
      number('--min-words'),
    )
    .option('--top-k <k>', 'sample among the k likeliest tokens only (0: off)', number('--top-k'))
    .option('--top-p <p>', 'sample among the likeliest tokens reaching probability p (1: off)', number('--top-p'))
    .option('--seed <s>', 'same seed, same text', number('--seed'))
    .option('--json', 'print the result as JSON')
    .action(async (flags: GenerateFlags) => {
      let model;
      try {
        model = await loadModel(flags.model);
      } catch (error) {
        console.error(`lstm-bot generate: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        return;
      }
      const generator = new LstmTextGenerator(model);
      try {
        const started = performance.now();
        const [result] = await generator.generate([
          {
            prompt: flags.prompt,
            temperature: flags.temperature,
            maxWords: flags.words,
            minWords: flags.minWords ?? Math.min(generationDefaults.minWords, flags.words),
            topK: flags.topK,
            topP: flags.topP,
            seed: flags.seed,
          },
        ]);
        const ms = performance.now() - started;
        if (flags.json) console.log(JSON.stringify({ modelId: generator.modelId, ...result, ms: Math.round(ms) }));
        else console.log(joinText(result!.prompt, result!.continuation));
      } catch (error) {
        if (!isCodedError(error, ...generationOptionCodes)) throw error;
        console.error(`lstm-bot generate: ${asFlags(error.message)}`);
        process.exitCode = 2;
      } finally {
        generator.dispose();
      }
    });
}

/** Prompt and continuation as one line: no space before a continuation that starts with `,`, `'s`, ... */
function joinText(prompt: string, continuation: string): string {
  if (prompt === '' || continuation === '') return prompt + continuation;
  return /^(?:[.,!?;:%)\]}]|n't\b|'(?:s|re|ll|ve|m|d)\b)/.test(continuation)
    ? prompt + continuation
    : `${prompt} ${continuation}`;
}

/** The generator's option names as this command's flags (`maxWords must be ...` is `--words must be ...`). */
const FLAGS: Readonly<Record<string, string>> = {
  temperature: '--temperature',
  maxWords: '--words',
  minWords: '--min-words',
  topK: '--top-k',
  topP: '--top-p',
  seed: '--seed',
};

const OPTION_NAME = new RegExp(`\\b(${Object.keys(FLAGS).join('|')})\\b`, 'g');

function asFlags(message: string): string {
  return message.replace(OPTION_NAME, (name) => FLAGS[name]!);
}
