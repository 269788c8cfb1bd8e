import { CodedError } from '../errors/coded-error.js';
import { renderReply, type ReplyKey, type ReplyParams } from './reply-catalogue.js';

/**
 * A refusal the user should read (bad input, no rights, rate limit): the coded error `USER_ERROR`
 * carrying a catalogue key and its parameters, never a sentence. Thrown by command handlers, turned
 * into a private reply at the edge.
 */
export class UserError<K extends ReplyKey = ReplyKey> extends CodedError<'USER_ERROR'> {
  readonly params: ReplyParams<K>;

  constructor(
    readonly key: K,
    ...params: ReplyParams<K>
  ) {
    super('USER_ERROR', `user error: ${key}`);
    this.params = params;
  }

  /** The sentence the user reads. */
  render(): string {
    return renderReply(this.key, ...this.params);
  }
}
