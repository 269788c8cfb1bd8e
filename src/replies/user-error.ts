import { renderReply, type ReplyKey, type ReplyParams } from './reply-catalogue.js';

/**
 * A refusal the user should read (bad input, no rights, rate limit): carries a catalogue key and its
 * parameters, never a sentence. Thrown by command handlers, turned into a private reply at the edge.
 */
export class UserError<K extends ReplyKey = ReplyKey> extends Error {
  readonly code = 'USER_ERROR';
  readonly params: ReplyParams<K>;

  constructor(
    readonly key: K,
    ...params: ReplyParams<K>
  ) {
    super(`user error: ${key}`);
    this.name = 'UserError';
    this.params = params;
  }

  /** The sentence the user reads. */
  render(): string {
    return renderReply(this.key, ...this.params);
  }
}
