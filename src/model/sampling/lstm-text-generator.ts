import { detokenize } from '../text/detokenize.js';
import { isWordToken } from '../text/tokenize.js';
import { encodeContext } from '../text/encode-context.js';
import { encodePrompt } from '../text/encode-prompt.js';
import { generateTokenIds } from './generate-token-ids.js';
import { LstmBatchStepper } from '../lstm/lstm-batch-stepper.js';
import { disposeParams } from '../lstm/lstm-params.js';
import type { NgramMixer } from './ngram-mixer.js';
import type { CopyGuard } from './copy-guard.js';
import type { LstmParams } from '../lstm/lstm-params.js';
import { RecentReplyNgrams } from './recent-reply-ngrams.js';
import { resolveGenerationOptions } from './resolve-generation-options.js';
import { EOS_ID, PAD_ID, UNK_ID } from '../text/special-tokens.js';
import type { GenerationRequest, GenerationResult, TextGenerator } from './text-generator.js';
import type { Vocabulary } from '../text/vocabulary.js';
import { CodedError } from '../../errors/coded-error.js';

/** What the generator needs of a loaded model (`loadModel(dir)` returns it). */
export interface LstmTextGeneratorModel {
  params: LstmParams;
  vocab: Vocabulary;
  card: { id: string };
  /** Sample from the LSTM mixed with the channel's n-gram (a model folder with `ngram.bin`). */
  mixer?: NgramMixer;
  /** Never complete one of these n-grams of the channel's messages verbatim (a folder with `copy6.bin`). */
  copyGuard?: CopyGuard;
}

export interface LstmTextGeneratorOptions {
  /** Streams stepped together at most; larger calls run in chunks (default 64). */
  maxBatchSize?: number;
  /** No n-gram of this many tokens twice in one reply (default 3; 0 turns the guard off). */
  noRepeatNgramSize?: number;
  /** Only the last this many prompt tokens prime the LSTM (default 256); the prompt echoed back is whole. */
  maxPromptTokens?: number;
  /** Only the last this many tokens of a request's context prime the LSTM before its prompt (default 256). */
  maxContextTokens?: number;
  /** Tokens per reply at most, as a multiple of `maxWords` (default 3). */
  maxTokensPerWord?: number;
  /**
   * A model with a cache: the reply's own tokens join it as they are drawn (default `CACHE_REPLY_TOKENS`).
   */
  cacheReplyTokens?: boolean;
  /**
   * The share of its probability a token keeps per recent reply (a request's `recentReplies`) whose
   * token pair it would write again (default 1: off; 0: never).
   */
  recentReplyPenalty?: number;
}

/**
 * Whether the reply's own tokens join a model's cache by default: yes, as in Grave et al.'s cache and
 * as the mixture is scored. Measured on HelpBasejumps and two other rooms (see docs/quality.md):
 * - A unigram cache: without them, the cache of a reply without context (the prompt alone) made the
 *   mixture worse than no cache; with them the replies' words repeated an earlier word of theirs a
 *   little more often (11.7% against 9.1% without context, 9.3% against 8.8% with; people's messages
 *   12.4%), at the same length and distinct-2.
 * - A continuous cache (θ above 0), with 8 messages of context (a cache of fewer than
 *   `MIN_CONTINUOUS_CACHE_IDS` ids is not drawn from): as the bot samples, 51.0 / 54.8 / 75.0 with
 *   them against 53.5 / 57.9 / 76.1 without, and distinct-2 0.894 / 0.898 / 0.950 against 0.896 / 0.906
 *   / 0.952. Given the prompt alone they raised themselves and their neighbours again (distinct-2 0.89
 *   against 0.91): such short caches are the ones now set aside.
 */
export const CACHE_REPLY_TOKENS = true;

/**
 * The LSTM language model as a {@link TextGenerator}. All requests of one `generate` call share each
 * LSTM step (in chunks of `maxBatchSize`); each result depends only on its own request (up to float32
 * rounding, see `generateTokenIds`), so a seeded reply is the same alone or in a batch, bar rare
 * draws that land within about 1e-7 of a boundary between two tokens.
 *
 * Input rules (documented for the pipeline):
 * - Options are validated by `resolveGenerationOptions`: a temperature outside [0, 2] (or NaN), a
 *   `maxWords` that is not a whole number from 1 to 1000, a negative `topK`, a `topP` outside (0, 1]
 *   or a fractional seed reject the whole call with a `CodedError` (code `INVALID_...`)
 *   before any work; nothing is clamped. A prompt that is not a string: `INVALID_PROMPT`.
 * - An empty (or whitespace-only, or markup-only) prompt is allowed: the model writes a message
 *   from its start.
 * - Words the vocabulary lacks (emoji, typos) are fed as `<unk>`; an emoji-only prompt is allowed. The
 *   result names the prompt's words (not emoji or punctuation) the model lacks, for the reply to say so.
 * - A long prompt is allowed: only its last `maxPromptTokens` tokens prime the model.
 * - A request's `context` (the channel's recent messages) is read before its prompt, its last
 *   `maxContextTokens` tokens only; each row of a batch has its own.
 * - The reply has at least one word (`<eos>` is not sampled before it); it ends at `<eos>` or after
 *   `maxWords` words (tokens with a letter or digit; punctuation does not count) or
 *   `maxTokensPerWord * maxWords` tokens.
 */
export class LstmTextGenerator implements TextGenerator {
  readonly modelId: string;
  private readonly stepper: LstmBatchStepper;
  private readonly countsAsWord: Uint8Array;
  private readonly maxBatchSize: number;
  private readonly noRepeatNgramSize: number;
  private readonly maxPromptTokens: number;
  private readonly maxContextTokens: number;
  private readonly maxTokensPerWord: number;
  private readonly cacheReplyTokens: boolean;
  private readonly recentReplyPenalty: number;

  constructor(
    private readonly model: LstmTextGeneratorModel,
    options: LstmTextGeneratorOptions = {},
  ) {
    const { vocab, params, card } = model;
    if (vocab.size !== params.config.vocabSize) {
      throw new RangeError(`vocabulary has ${vocab.size} tokens but the model ${params.config.vocabSize}`);
    }
    if (model.mixer && model.mixer.vocabSize !== vocab.size)
      throw new RangeError(`the n-gram has ${model.mixer.vocabSize} tokens but the model ${vocab.size}`);
    this.modelId = card.id;
    this.maxBatchSize = options.maxBatchSize ?? 64;
    this.noRepeatNgramSize = options.noRepeatNgramSize ?? 3;
    this.maxPromptTokens = options.maxPromptTokens ?? 256;
    this.maxContextTokens = options.maxContextTokens ?? 256;
    this.maxTokensPerWord = options.maxTokensPerWord ?? 3;
    this.cacheReplyTokens = options.cacheReplyTokens ?? CACHE_REPLY_TOKENS;
    this.recentReplyPenalty = options.recentReplyPenalty ?? 1;
    if (!(this.recentReplyPenalty >= 0 && this.recentReplyPenalty <= 1))
      throw new RangeError(`recentReplyPenalty must be in [0, 1], got ${this.recentReplyPenalty}`);
    for (const [name, value] of Object.entries({
      maxBatchSize: this.maxBatchSize,
      maxPromptTokens: this.maxPromptTokens,
      maxContextTokens: this.maxContextTokens,
      maxTokensPerWord: this.maxTokensPerWord,
    })) {
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    this.countsAsWord = new Uint8Array(vocab.size);
    for (let id = 0; id < vocab.size; id++) this.countsAsWord[id] = isWordToken(vocab.tokenOf(id)) ? 1 : 0;
    this.stepper = new LstmBatchStepper(params, [PAD_ID, UNK_ID]);
  }

  async generate(requests: readonly GenerationRequest[]): Promise<GenerationResult[]> {
    const prepared = requests.map((request) => {
      if (typeof request.prompt !== 'string') {
        throw new CodedError('INVALID_PROMPT', 'prompt must be text');
      }
      const options = resolveGenerationOptions(request);
      const { ids, display, unknownWords, unknownShare } = encodePrompt(request.prompt, this.model.vocab);
      const contextIds = request.context && encodeContext(request.context, this.model.vocab, this.maxContextTokens);
      const recentReplies = this.#recentReplies(request);
      const prompt = { display, unknownWords, unknownShare };
      return { prompt, request: { promptIds: ids.slice(-this.maxPromptTokens), options, contextIds, recentReplies } };
    });
    const results: GenerationResult[] = [];
    for (let start = 0; start < prepared.length; start += this.maxBatchSize) {
      const chunk = prepared.slice(start, start + this.maxBatchSize);
      const generated = await generateTokenIds(
        this.stepper,
        chunk.map(({ request }) => request),
        {
          eosId: EOS_ID,
          countsAsWord: this.countsAsWord,
          noRepeatNgramSize: this.noRepeatNgramSize,
          maxTokensPerWord: this.maxTokensPerWord,
          mixer: this.model.mixer,
          cacheReplyTokens: this.cacheReplyTokens,
          copyGuard: this.model.copyGuard,
          recentReplyPenalty: this.recentReplyPenalty,
        },
      );
      generated.forEach(({ ids, stoppedBy }, i) => {
        const replyTokens = ids.map((id) => this.model.vocab.tokenOf(id));
        const { display, unknownWords, unknownShare } = chunk[i]!.prompt;
        results.push({
          prompt: display,
          unknownWords,
          unknownShare,
          continuation: detokenize(replyTokens),
          tokens: ids.length,
          replyTokens,
          stoppedBy,
        });
      });
    }
    return results;
  }

  /** The token pairs of a request's recent replies, when they are to be avoided. */
  #recentReplies(request: GenerationRequest): RecentReplyNgrams | undefined {
    if (!request.recentReplies?.length || !(this.recentReplyPenalty < 1)) return undefined;
    const vocab = this.model.vocab;
    return new RecentReplyNgrams(
      2,
      request.recentReplies.map((tokens) => tokens.map((token) => vocab.idOf(token))),
    );
  }

  /** Frees the sampler's tensors and the model's parameters. */
  dispose(): void {
    this.stepper.dispose();
    disposeParams(this.model.params);
  }
}
