/**
 * Every sentence a user reads, by key. Handlers, workers and adapters look sentences up here and never
 * write them inline, so wording, tone and a future translation live in one place.
 */
export const replyCatalogue = {
  'continue.queued': () => 'Thinking…',
  'continue.answer': (p: { prompt: string; continuation: string }) => joinContinuation(p.prompt, p.continuation),
  'continue.nothingToAdd': (p: { prompt: string }) => `${p.prompt} … (the model had nothing to add)`,
  'continue.unknownOption': (p: { option: string }) => `Unknown option \`${p.option}\`.`,
  'continue.unknownWords': (p: { words: string[]; more: number }) =>
    `(New to me: ${listWords(p.words, p.more)}. An admin's /retrain on this channel can teach me the words it uses often.)`,
  'continue.emptyPrompt': () => 'Give me a few words to continue, e.g. `/continue the weather today`.',
  'continue.promptTooLong': (p: { maxChars: number }) => `That prompt is too long: at most ${p.maxChars} characters.`,
  'continue.badWords': (p: { min: number; max: number }) =>
    `The number of words must be a whole number from ${p.min} to ${p.max}.`,
  'continue.badMinWords': (p: { min: number; max: number }) =>
    `The least number of words must be a whole number from ${p.min} to ${p.max} (no more than the words asked for).`,
  'continue.noModel': () => 'No language model is installed yet, so I cannot write anything. Please tell the operator.',
  'continue.failed': () => 'Sorry, I could not write a continuation this time. Please try again in a moment.',

  'temperature.show': (p: { value: number; isDefault: boolean }) =>
    `The temperature in this channel is ${formatTemperature(p.value)}${p.isDefault ? ' (the default)' : ''}.`,
  'temperature.set': (p: { value: number }) => `Temperature set to ${formatTemperature(p.value)} for this channel.`,
  'temperature.reset': (p: { value: number }) =>
    `Temperature reset to the default, ${formatTemperature(p.value)}, for this channel.`,
  'temperature.outOfRange': (p: { min: number; max: number }) =>
    `The temperature must be a number from ${p.min} to ${p.max} (0 always picks the likeliest word).`,
  'temperature.forbidden': () => 'Only people who can manage this channel may change its temperature.',

  'settings.show': (p: {
    temperature: number;
    temperatureIsDefault: boolean;
    minWords: number;
    minWordsIsDefault: boolean;
    mentions: boolean;
    continueMessage: boolean;
    context: boolean;
    learning: boolean;
    /** Absent: never set (off, the default). */
    chatter?: number;
  }) =>
    [
      `Temperature: ${formatTemperature(p.temperature)}${p.temperatureIsDefault ? ' (the default)' : ''}`,
      `Min words: ${p.minWords}${p.minWordsIsDefault ? ' (the default)' : ''}`,
      `Mentions: ${p.mentions ? 'on (I answer messages that mention me)' : 'off (the default)'}`,
      `Continue this message: ${p.continueMessage ? 'on (anyone may pick a message for me to continue)' : 'off (the default)'}`,
      `Context: ${p.context ? "on (I read the channel's recent stored messages first)" : 'off (the default)'}`,
      `Learning: ${p.learning ? "on (I store this channel's new messages)" : 'off (the default)'}`,
      `Chatter: ${p.chatter === undefined ? 'off (the default)' : p.chatter === 0 ? 'off' : `${formatShare(p.chatter)} of messages (I answer them unprompted)`}`,
    ].join('\n'),
  'settings.minWordsSet': (p: { value: number }) =>
    `Min words set to ${p.value} for this channel: a continuation writes at least ${p.value} words before it may end (fewer only when fewer are asked for).`,
  'settings.minWordsReset': (p: { value: number }) => `Min words back to the default, ${p.value}, for this channel.`,
  'settings.badMinWords': (p: { min: number; max: number }) =>
    `Min words must be a whole number from ${p.min} to ${p.max}; leave it out to go back to the default.`,
  'settings.chatterSet': (p: { value: number }) =>
    p.value === 0
      ? 'Chatter off: I answer in this channel only when asked.'
      : `Chatter set to ${formatShare(p.value)}: I answer about ${formatShare(p.value)} of this channel's messages without being asked.`,
  'settings.chatterSetConsole': (p: { value: number }) =>
    `Chatter set to ${formatShare(p.value)} for this channel, but the console never chatters: its lines are prompts, answered already. On Discord and Slack, chatter answers about that share of a channel's messages without being asked.`,
  'settings.chatterReset': () => 'Chatter back to the default, off: I answer in this channel only when asked.',
  'settings.badChatter': (p: { min: number; max: number }) =>
    `Chatter must be a number from ${p.min} to ${p.max}: the share of messages I answer unprompted (0.05 is about one in 20, 0 is off).`,
  'settings.mentionsOn': () =>
    'Mentions on: I answer messages in this channel that mention me, continuing the text after the mention.',
  'settings.mentionsOff': () => 'Mentions off: I no longer answer messages in this channel that mention me.',
  'settings.contextOn': () =>
    "Context on: before continuing, I read this channel's most recent stored messages, so the answer fits the conversation.",
  'settings.contextOff': () => 'Context off: I continue prompts in this channel from the prompt alone.',
  'settings.learningOn': () =>
    "Learning on: from now on I store this channel's new messages and learn from them (context, and the next /retrain). " +
    'Anyone can remove their messages and stop me storing them with /forget me; a channel manager can stop this with /settings learning off.',
  'settings.learningAlreadyOn': () => 'Learning is already on in this channel (see the notice above).',
  'settings.learningOff': () =>
    "Learning off: I no longer store this channel's new messages. Those already stored stay until /forget, or until the next /retrain has trained on them.",
  'settings.messagesUnreadable': () =>
    "This deployment does not receive the text of this channel's messages, so I can neither learn from them nor chat along (on Discord the operator must turn on the Message Content intent and set DISCORD_MESSAGE_CONTENT=true). Nothing was changed.",
  'settings.forbidden': () => 'Only people who can manage this channel may change its settings.',
  'settings.continueMessageOn': () =>
    'Continue this message on: anyone here may pick a message (its menu, Apps) for me to continue in the channel.',
  'settings.continueMessageOff': () =>
    'Continue this message off: I no longer continue chosen messages in this channel.',
  'continueMessage.off': () =>
    'Continue this message is off in this channel. Someone who can manage the channel can turn it on in the settings command.',
  'continueMessage.empty': () => 'That message has no text for me to continue.',
  'mention.emptyPrompt': () => 'Mention me with the start of a sentence, and I will continue it.',

  'status.summary': (p: {
    model: { scope: 'channel' | 'base'; version: string } | undefined;
    backends: string[];
    queueDepth: number;
    workersAlive: number;
    temperature: number;
  }) =>
    [
      `Model: ${
        p.model === undefined
          ? 'none installed'
          : p.model.scope === 'channel'
            ? `this channel's own model, version ${p.model.version}`
            : `the base model, version ${p.model.version}`
      }`,
      `Backend: ${p.backends.length ? p.backends.join(', ') : 'unknown (no worker running)'}`,
      `Queue: ${p.queueDepth} waiting or in progress`,
      `Workers alive: ${p.workersAlive}`,
      `Temperature: ${formatTemperature(p.temperature)}`,
    ].join('\n'),

  'rateLimit.user': (p: { retryAfterS: number }) =>
    `You are sending requests too fast. Try again in ${p.retryAfterS} s.`,
  'rateLimit.channel': (p: { retryAfterS: number }) =>
    `This channel is sending requests too fast. Try again in ${p.retryAfterS} s.`,

  'retrain.forbidden': () => 'Only people who can manage this server or workspace may retrain or roll back its model.',
  'retrain.badMessages': (p: { min: number; max: number }) =>
    `The number of messages must be a whole number from ${p.min} to ${p.max}.`,
  'retrain.noHistory': () =>
    'This channel has no stored messages to learn from yet. An operator can import history with `lstm-bot import`.',
  'retrain.queued': (p: { messages: number; position: number }) =>
    `Retraining on up to ${p.messages} stored messages of this channel: queued (position ${p.position}). Progress follows here.`,
  'retrain.waiting': (p: { position: number }) =>
    `Retraining: waiting for other trainings to finish, position ${p.position} in the queue.`,
  'retrain.alreadyQueued': () => 'A retraining of this channel is already queued. `/retrain cancel` stops it.',
  'retrain.alreadyRunning': () => 'A retraining of this channel is already running. `/retrain cancel` stops it.',
  'retrain.collecting': (p: { read: number }) =>
    `Retraining: reading this channel's history, ${p.read} new messages so far.`,
  'retrain.historyUnreadable': () => "I could not read this channel's history. It has been logged.",
  'retrain.historyNoAccess': () =>
    "I could not read this channel's history: I need the View Channel and Read Message History permissions here.",
  'retrain.historyNoContent': () =>
    "I could not read this channel's history: its messages came without their text. The operator must enable the bot's Message Content intent.",
  'retrain.historyNotInChannel': () =>
    "I could not read this channel's history: the bot is not a member of this channel. Invite it (`/invite @bot`) and try again.",
  'retrain.historyChannelNotFound': () =>
    "I could not read this channel's history: the channel was not found, or it is private and the bot is not in it.",
  'retrain.historyRateLimited': () =>
    "I could not read this channel's history: the platform kept asking me to slow down. Please try again later.",
  'retrain.reading': (p: { done: number; total: number }) => `Retraining: reading messages, ${p.done} of ${p.total}.`,
  'retrain.loading': () => 'Retraining: loading the base model.',
  'retrain.resumed': (p: { epochs: number; tokensSeen: number }) =>
    `Retraining: resumed from the checkpoint of the interrupted run (${p.epochs} epochs, ${p.tokensSeen} tokens seen).`,
  'retrain.training': (p: {
    epoch: number;
    epochs: number;
    batch: number;
    batches: number;
    loss: string;
    sparkline: string;
    eta: string;
  }) =>
    `Retraining: epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batches}, loss ${p.loss} ${p.sparkline}, about ${p.eta} left.`,
  'retrain.evaluating': () => 'Retraining: measuring the new model on the newest messages.',
  'retrain.publishing': () => 'Retraining: publishing the new model.',
  'retrain.published': (p: {
    messages: number;
    words: number;
    sample: string;
    before: string;
    after: string;
    /** The new model mixed with the channel's word-sequence counts, as it samples. */
    mixture?: string;
    seconds: number;
    /** The run went on from an interrupted attempt's checkpoint: `seconds` are this attempt's. */
    resumed?: boolean;
  }) =>
    `Retrained this channel's model on ${p.messages} messages in ${took(p)}: learned ${p.words} new words${p.sample ? ` (${p.sample})` : ''}; perplexity on the newest messages ${p.before} -> ${p.after}${p.mixture ? ` (${p.mixture} mixed with the channel's word-sequence counts, as it replies)` : ''}. It answers the next /continue.`,
  'retrain.notBetter': (p: { messages: number; before: string; after: string; seconds: number; resumed?: boolean }) =>
    `Retrained on ${p.messages} messages in ${took(p)}, but the new model was not better on the newest messages (perplexity ${p.before} -> ${p.after}), so the current model stays.`,
  'retrain.tooFew': (p: { min?: number }) =>
    `Not enough stored messages to retrain on${p.min === undefined ? '' : ` (at least ${p.min} are needed)`}.`,
  'retrain.failed': () => 'Sorry, the retraining failed. The current model stays. It has been logged.',
  'retrain.timedOut': () => 'The retraining took too long and was stopped. The current model stays.',
  'retrain.outOfMemory': (p: { limitMb: number }) =>
    `The retraining needed more memory than this server allows (${p.limitMb} MB) and was stopped. The current model stays. Try again on fewer messages, or ask the operator to raise TRAIN_MEMORY_LIMIT_MB.`,
  'retrain.cancelled': () => 'Retraining cancelled. The current model stays.',
  'retrain.cancelRequested': () => 'Stopping the retraining of this channel…',
  'retrain.nothingToCancel': () => 'No retraining of this channel is queued or running.',
  'retrain.rolledBack': (p: { version: string }) =>
    `Rolled back: this channel now uses its model version ${p.version}.`,
  'retrain.rolledBackToBase': () => 'Rolled back: this channel now uses the base model.',
  'retrain.nothingToRollBack': () => 'This channel has no model of its own to roll back.',
  'forget.forbidden': () => 'Only people who can manage this server or workspace may make the bot forget a channel.',
  'forget.channel': () => "Done: this channel's model and stored messages are deleted. It uses the base model again.",
  'forget.tooSoon': (p: { seconds: number }) =>
    `You asked to be forgotten a moment ago. Try again in ${p.seconds} s if you need to.`,
  'forget.me': (p: { removed: number }) =>
    `Done: ${p.removed} of your stored messages are deleted, with the prompts and answers of your finished requests, and your messages are left out of all future training. Models trained before keep what they learned until their next retraining.`,

  'command.unavailable': () => 'The bot is temporarily unavailable. Please try again in a minute.',
  'command.internalError': () => 'Something went wrong on my side. It has been logged.',
  'command.malformed': () =>
    'I could not read this command: it arrived incomplete or malformed, so I did nothing. Please send it again.',

  'discord.dmNotSupported': () =>
    'I only work in server channels and threads. Use my commands in a channel of a server I am in.',
  'discord.needsManageServer': () => 'This needs the Manage Server permission.',
  'discord.botNeedsHistory': () =>
    'I need the View Channel and Read Message History permissions in this channel to read its history.',
  'discord.unknownCommand': () =>
    'I do not know that command. Ask a server admin to run `lstm-bot discord register` again.',

  'slack.usageContinue': (p: { name: string; flags: string }) => `Usage: \`${p.name} <prompt> ${p.flags}\`.`,
  'slack.usageTemperature': (p: { name: string; range: string }) =>
    `Usage: \`${p.name}\` to see it, \`${p.name} <${p.range}>\` to set it, \`${p.name} reset\`.`,
  'slack.usageRetrain': (p: { name: string }) =>
    `Usage: \`${p.name} [N]\` to retrain on the last N messages, \`${p.name} cancel\`, \`${p.name} rollback\`.`,
  'slack.usageForget': (p: { name: string }) => `Usage: \`${p.name} channel\` (admins) or \`${p.name} me\`.`,
  'slack.usageSettings': (p: { name: string; forms: readonly string[] }) =>
    `Usage: \`${p.name}\` to see this channel's settings; ${p.forms.map((form) => `\`${p.name} ${form}\``).join(', ')} to change one (a value left out: back to the default).`,
  'slack.emptyPrompt': () => 'Give me the start of a sentence to continue.',
  'slack.badNumber': (p: { option: string; value: string }) => `\`${p.option}\` needs a number, not \`${p.value}\`.`,
  'slack.missingValue': (p: { option: string }) => `\`${p.option}\` needs a value.`,

  'console.welcome': (p: { channel: string; range: string }) =>
    `lstm-bot console. You are in #${p.channel}. Commands: /continue <text>, /temperature [${p.range}|reset], /status, /join <name>, /help, /quit.`,
  'console.help': (p: { flags: string; range: string; chatter: string }) =>
    helpTable([
      [`/continue <text> ${p.flags}`, 'continue your text (plain text works too)'],
      ['/temperature', 'show the channel temperature'],
      [`/temperature <${p.range}> | reset`, 'change it'],
      ['@bot <text>', 'a mention: answered when mentions are on'],
      ['/settings', "show the channel's settings"],
      ['/settings mentions on | off', 'answer mentions or not'],
      ['/settings continue_message on | off', 'continue chosen messages or not (Discord, Slack)'],
      ['/settings context on | off', "read the channel's recent messages first or not"],
      ['/settings learning on | off', "store the channel's new messages or not"],
      [`/settings temperature [${p.range}]`, "the channel's temperature; none: the default"],
      ['/settings min_words [words]', 'words an answer writes before it may end; none: the default'],
      [`/settings chatter [${p.chatter}]`, 'share answered unprompted (Discord, Slack); 0: off'],
      ['/status', 'model, backend, queue, workers'],
      ['/retrain [messages] | cancel | rollback', 'fine-tune on stored messages, stop it, go back'],
      ['/forget me', 'delete your stored messages and leave you out of training'],
      ['/forget channel', "delete the channel's model and stored messages"],
      ['/join <name>', 'switch channel'],
      ['/quit', 'leave'],
    ]),
  'console.joined': (p: { channel: string }) => `You are now in #${p.channel}.`,
  'console.badChannelName': () => 'Channel names use letters, digits, - and _ (at most 64).',
  'console.unknownCommand': (p: { command: string }) => `Unknown command ${p.command}. Type /help for the list.`,
  'console.usage': (p: { usage: string }) => `Usage: ${p.usage}`,
  'console.usageContinue': (p: { flags: string }) => `/continue <text> ${p.flags}`,
  'console.usageTemperature': (p: { range: string }) => `/temperature [${p.range} | reset]`,
  'console.usageJoin': () => '/join <channel name>',
  'console.usageRetrain': () => '/retrain [messages | cancel | rollback]',
  'console.usageForget': () => '/forget channel | me',
  'console.usageSettings': (p: { forms: readonly string[] }) => `/settings [${p.forms.join(' | ')}]`,
  'console.stillWaiting': (p: { seconds: number }) => `Retraining: still at it (${p.seconds} s since /retrain).`,
  'console.failures': (p: { failed: number; missing: number }) =>
    [p.failed > 0 ? `${p.failed} of the requests failed` : '', p.missing > 0 ? `${p.missing} answer(s) never came` : '']
      .filter(Boolean)
      .join('; ') + '.',
} as const;

export type ReplyCatalogue = typeof replyCatalogue;
export type ReplyKey = keyof ReplyCatalogue;
export type ReplyParams<K extends ReplyKey> = Parameters<ReplyCatalogue[K]>;

/** The sentence for `key`, filled with its parameters. */
export function renderReply<K extends ReplyKey>(key: K, ...params: ReplyParams<K>): string {
  const render = replyCatalogue[key] as (...args: ReplyParams<K>) => string;
  return render(...params);
}

/** Usage lines with what they do in a second column (at least 3 spaces apart). */
function helpTable(rows: [usage: string, what: string][]): string {
  return rows.map(([usage, what]) => `${usage.padEnd(47)}   ${what}`).join('\n');
}

/** `0.05` -> `5%`, `0.001` -> `0.1%`. */
function formatShare(value: number): string {
  return `${Number((value * 100).toPrecision(3))}%`;
}

function formatTemperature(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`. */
function listWords(words: readonly string[], more: number): string {
  if (more > 0) return `${words.join(', ')} and ${more} more`;
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}` : (words[0] ?? '');
}

/** `hello` + `, world` -> `hello, world`; `hello` + `there` -> `hello there`. */
function joinContinuation(prompt: string, continuation: string): string {
  if (!continuation) return prompt;
  return /^[,.!?;:)\]}'’]/.test(continuation) ? `${prompt}${continuation}` : `${prompt} ${continuation}`;
}

/** How long a `/retrain` took, as its summary says it: a resumed run's seconds are its own attempt's. */
function took(p: { seconds: number; resumed?: boolean }): string {
  return p.resumed ? `${p.seconds} s after resuming the interrupted run` : `${p.seconds} s`;
}
