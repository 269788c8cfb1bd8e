/**
 * The contract between the language model and everything that asks it for text (the generation
 * worker, the CLI, benchmarks). Platform-neutral: knows nothing of Discord, Slack or queues.
 */

/** How to sample. Temperature in [0, 2] (0 = greedy); maxWords counts generated tokens that are words. */
export interface GenerationOptions {
  temperature: number;
  maxWords: number;
  /** `<eos>` is not drawn before this many words (0 or undefined: only the first word is required; at most maxWords). */
  minWords?: number;
  /** Keep only the k most likely tokens (0 or undefined: off). */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p (1 or undefined: off). */
  topP?: number;
  /** Same seed, same model, same prompt, same options: same text. */
  seed?: number;
}

export const generationDefaults = { temperature: 0.8, maxWords: 40, minWords: 8 } as const satisfies GenerationOptions;

export interface GenerationRequest extends GenerationOptions {
  prompt: string;
  /**
   * The channel's recent messages, oldest first, read by the model before the prompt so that the
   * continuation fits the conversation (none: the prompt alone, as a message's start).
   */
  context?: readonly string[];
  /**
   * The bot's recent replies in this channel, each as its tokens (`GenerationResult.replyTokens`): the
   * n-grams they wrote are made less likely, so that replies do not keep repeating themselves.
   */
  recentReplies?: readonly (readonly string[])[];
}

export interface GenerationResult {
  /** The prompt as the user typed it, tidied (markup neutralised so it cannot ping). */
  prompt: string;
  /** What the model wrote after the prompt, detokenized into natural text. */
  continuation: string;
  /** Number of generated tokens. */
  tokens: number;
  /** The generated tokens as the vocabulary names them (what `recentReplies` takes). */
  replyTokens?: string[];
  stoppedBy: 'end-of-message' | 'word-limit';
  /** The prompt's words the model does not know (it read each as `<unk>`), each once, in order. */
  unknownWords?: string[];
  /** The share of the prompt's words the model does not know (0 for a prompt without words). */
  unknownShare?: number;
}

/** A loaded model that writes continuations; many requests in one call share each LSTM step. */
export interface TextGenerator {
  /** Stable id of the loaded model version (from its model card). */
  readonly modelId: string;
  generate(requests: readonly GenerationRequest[]): Promise<GenerationResult[]>;
  /** Frees the model's tensors. */
  dispose(): void;
}
