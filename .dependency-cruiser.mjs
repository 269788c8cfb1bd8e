// Which folder of src/ may import which: `npm run lint` (and so CI) fails on a violation.
// docs/ARCHITECTURE.md ("Import directions") says the same in words. Type-only imports count too.
const APP = '^src/';
/** Imported from anywhere, importing nothing of the app: the coded errors (`errors/`, where it exists). */
const SHARED = ['errors'];
/** `folder` imports only itself, `allowed` (folders, or files given with `.ts`) and the shared leaves. */
const below = (folder, allowed) => ({
  from: { path: `^src/${folder}/` },
  to: {
    path: APP,
    pathNot: [folder, ...SHARED, ...allowed].map((f) => (f.endsWith('.ts') ? `^src/${f}$` : `^src/${f}/`)),
  },
});

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, between files of one folder or of several.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'model-knows-no-app',
      severity: 'error',
      comment:
        'model/ (text, corpus, lstm, training, sampling, store, evaluation) imports only its own files (and errors/).',
      ...below('model', []),
    },
    {
      name: 'model-only-tensorflow',
      severity: 'error',
      comment: 'The only package model/ uses is TensorFlow.js (and node: built-ins).',
      from: { path: '^src/model/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg'], pathNot: '@tensorflow/' },
    },
    {
      name: 'shared-leaves',
      severity: 'error',
      comment: 'errors/ (one coded error, the union of codes) is imported from anywhere and imports nothing.',
      from: { path: `^src/(${SHARED.join('|')})/` },
      to: { path: APP, pathNot: `^src/(${SHARED.join('|')})/` },
    },
    {
      name: 'config-is-a-leaf',
      severity: 'error',
      comment: 'The config schema is parsed once at start-up and imports nothing of the app.',
      ...below('config', []),
    },
    {
      name: 'commands-are-platform-and-queue-neutral',
      severity: 'error',
      comment:
        'commands/ holds the handlers and the ports they need (GenerationQueue, TrainingControl, StatusSource, ...): ' +
        'it may use replies/, config/ types and the logger; queue/, settings/, generation/, training/ implement its ports.',
      ...below('commands', ['replies', 'config', 'ops']),
    },
    {
      name: 'replies-only-commands-types',
      severity: 'error',
      comment: 'The reply catalogue knows command types (addresses, errors) and nothing else.',
      ...below('replies', ['commands']),
    },
    {
      name: 'adapters-apart',
      severity: 'error',
      comment: 'A platform adapter never imports another platform adapter.',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'adapters-at-the-edge',
      severity: 'error',
      comment:
        'Adapters talk to commands/, queue/ (reply senders), replies/, config/, ops/, the history port ' +
        '(HistorySource, the message shape their readers return), the one mention neutraliser and the one Slack entity decoder; never to the processes.',
      ...below('adapters', [
        'commands',
        'queue',
        'replies',
        'config',
        'ops',
        'history/history-source.ts',
        'model/text/neutralize-pings.ts',
        'model/text/slack-entities.ts',
      ]),
    },
    {
      name: 'discord-sdk-stays-in-its-adapter',
      severity: 'error',
      comment: 'discord.js only under adapters/discord/.',
      from: { pathNot: '^src/adapters/discord/' },
      to: { path: 'node_modules/(discord\\.js|@discordjs)/' },
    },
    {
      name: 'slack-sdk-stays-in-its-adapter',
      severity: 'error',
      comment: 'Bolt and the Slack SDK only under adapters/slack/.',
      from: { pathNot: '^src/adapters/slack/' },
      to: { path: 'node_modules/@slack/' },
    },
    {
      name: 'generation-path',
      severity: 'error',
      comment:
        'generation/ (what `lstm-bot worker` runs) uses the model, the queue and the command types; ' +
        'never an adapter, the training path or a process root.',
      ...below('generation', ['model', 'queue', 'commands', 'replies', 'ops', 'config']),
    },
    {
      name: 'training-path',
      severity: 'error',
      comment:
        'training/ (what `lstm-bot trainer` runs, and the bot side of /retrain) uses the model, the queue, ' +
        'the history and the command types; never an adapter, the generation path or a process root.',
      ...below('training', ['model', 'queue', 'history', 'commands', 'replies', 'ops', 'config']),
    },
    {
      name: 'history-and-settings-are-stores',
      severity: 'error',
      comment: 'history/ and settings/ are Redis stores behind command ports: no processes, adapters or paths.',
      from: { path: '^src/(history|settings)/' },
      to: {
        path: APP,
        pathNot: `^src/(history|settings|commands|queue|model|replies|ops|config|${SHARED.join('|')})/`,
      },
    },
    {
      name: 'queue-is-the-redis-layer',
      severity: 'error',
      comment: 'queue/ (queues, job schemas, shared Redis keys) knows command types, config and ops; nothing above.',
      ...below('queue', ['commands', 'replies', 'config', 'ops']),
    },
    {
      name: 'ops-is-infrastructure',
      severity: 'error',
      comment: 'ops/ (logger, metrics, health, Redis pings) implements no command port and knows no path.',
      ...below('ops', ['config', 'queue']),
    },
    {
      name: 'main-is-the-root',
      severity: 'error',
      comment: 'Only the composition roots (and the bench and chaos tools that start them) import main/.',
      from: { path: APP, pathNot: '^src/(main|bench|chaos)/' },
      to: { path: '^src/main/' },
    },
    {
      name: 'tools-are-leaves',
      severity: 'error',
      comment: 'Nothing in the product imports the bench or the chaos suite.',
      from: { path: APP, pathNot: '^src/(bench|chaos)/' },
      to: { path: '^src/(bench|chaos)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
