import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  commandPolicy,
  continueMessagePolicy,
  type ActionRule,
  type Bound,
  type CommandRule,
  type Right,
} from '../../../src/commands/command-policy.js';

const WHO: Readonly<Record<Right, string>> = {
  everyone: 'everyone',
  manageChannel: 'channel managers',
  manageWorkspace: 'admins',
};

/** The config key each deployment limit comes from (`commandLimitsFrom`). */
const CONFIG_KEY: Readonly<Record<Exclude<Bound, number>, string>> = {
  maxPromptChars: 'MAX_PROMPT_CHARS',
  maxWords: 'MAX_WORDS',
  maxRetrainMessages: 'RETRAIN_MAX_MESSAGES',
};

interface Row {
  forms: string[];
  who: string;
  what: string;
}

/** The rows of the README's "Commands" table: the typed forms (in backticks), who, what. */
function readmeRows(): Row[] {
  const readme = readFileSync('README.md', 'utf8');
  const table = readme.split('| command | who | what it does |')[1]?.split('\n\n')[0] ?? '';
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [forms = '', who = '', what = ''] = line.slice(2, -2).split(' | ');
      // A `|` inside a table cell is written `\|`.
      const typed = [...forms.matchAll(/`([^`]+)`/g)].map((m) => (m[1] ?? '').replaceAll('\\|', '|'));
      return { forms: typed, who, what };
    });
}

const actions: [form: string, ActionRule][] = Object.entries(commandPolicy).flatMap(
  ([name, rule]: [string, CommandRule]) =>
    [rule.action, ...Object.values(rule.subcommands ?? {})].flatMap((action) =>
      action ? [[`/${name}${action.usage ? ` ${action.usage}` : ''}`, action] as [string, ActionRule]] : [],
    ),
);

describe('the README command table', () => {
  const rows = readmeRows();

  it.each(actions)('lists %s with who may run it, as the command policy says', (form, action) => {
    const row = rows.find((r) => r.forms.includes(form));
    expect(row, `no README row shows \`${form}\``).toBeDefined();
    expect(row?.who).toBe(WHO[action.right]);
  });

  it.each(actions.flatMap(([form, action]) => action.options.map((option) => [form, option.name, option] as const)))(
    'gives the bounds of %s option %s',
    (form, _name, option) => {
      const range = `${option.min}..${String(option.max)}`;
      if (form.includes(`<${range}>`) || form.includes(`[${range}]`)) return; // the form shows them
      if (option.type === 'switch') return expect(form).toContain('<on|off>');
      const row = rows.find((r) => r.forms.includes(form));
      const max = typeof option.max === 'number' ? String(option.max) : `\`${CONFIG_KEY[option.max]}\``;
      const bounds = `${option.min} to ${max}`;
      if (option.type === 'string') expect(row?.what).toContain(`${bounds} characters`);
      else expect(row?.what).toContain(`\`${option.name}\` (${bounds}`);
    },
  );

  it('lists the message command "Continue this message" with who may use it, as the command policy says', () => {
    const row = rows.find((r) => r.forms.includes(continueMessagePolicy.name));
    expect(row, `no README row shows \`${continueMessagePolicy.name}\``).toBeDefined();
    expect(row?.who).toBe(WHO[continueMessagePolicy.right]);
  });

  it('shows no form of a policy command that the policy does not have', () => {
    const known = new Set(actions.map(([form]) => form));
    const commands = Object.keys(commandPolicy).map((name) => `/${name}`);
    const stray = rows
      .flatMap((row) => row.forms)
      .filter((form) => commands.includes(form.split(' ')[0] ?? '') && !known.has(form));
    expect(stray).toEqual([]);
  });
});
