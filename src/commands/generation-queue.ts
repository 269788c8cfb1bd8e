import type { ChannelRef } from './channel-ref.js';
import type { ContinueVia } from './chat-command.js';
import type { ReplyAddress } from './reply-address.js';

/**
 * One `/continue` as the handlers hand it over: who asked, where, what, how, and where the answer
 * goes. The queue's `generateJobSchema` checks exactly this shape (a compile-time check keeps them equal).
 */
export interface GenerationRequest {
  v: 1;
  channel: ChannelRef;
  userId: string;
  prompt: string;
  options: { temperature: number; maxWords: number; minWords?: number | undefined; seed?: number | undefined };
  replyTo: ReplyAddress;
  /** The channel's `context` setting was on: the worker reads its recent stored messages before the prompt. */
  context?: true | undefined;
  /** Epoch ms when the user asked: the latency histogram measures from here. */
  requestedAt: number;
  /** Asked by a mention, "Continue this message" or chatter (absent: `/continue`). */
  via?: ContinueVia | undefined;
}

/** Where `/continue` puts its work: the `generate` queue's producer. */
export interface GenerationQueue {
  /**
   * Validates and enqueues; resolves with the job id. When `signal` is aborted by the time the add
   * completes (the caller was already told "temporarily unavailable"), the job is removed again and
   * the call rejects: a request refused to the user is never answered later.
   */
  enqueue(data: GenerationRequest, options?: { signal?: AbortSignal }): Promise<string>;
}
