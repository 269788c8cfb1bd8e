import { createHash } from 'node:crypto';
import { MessageFlags, Routes, type REST } from 'discord.js';
import type {
  DeliveryAttempt,
  OutboundReply,
  ReplyAddress,
  ReplySender,
  SentReply,
} from '../../commands/reply-address.js';
import { defuseMentions } from './defuse-mentions.js';
import { isExpiredInteractionError, toDiscordError } from './discord-error.js';
import { splitMessage } from './split-message.js';
import { CodedError } from '../../errors/coded-error.js';

type DiscordAddress = Extract<ReplyAddress, { platform: 'discord' }>;
/** The address of a slash command's answer (a mention's has no interaction). */
type InteractionAddress = DiscordAddress & { applicationId: string; interactionToken: string };

/** Late answers remembered so that a second answer edits the first (bounded, oldest forgotten). */
const LATE_MESSAGES_KEPT = 1_000;

/** Nothing the bot posts may ping anyone. */
const NO_MENTIONS = { parse: [] } as const;
/** Nor show a link preview (links are made inert by `neutralizePings` too). */
const NO_EMBEDS = MessageFlags.SuppressEmbeds;

export interface DiscordReplySenderOptions {
  now?: () => number;
}

/**
 * Answers an interaction with REST only (a worker needs no gateway): edits the deferred response
 * while the interaction token lives, then falls back to a plain channel message (which later answers
 * to the same interaction edit, so a progress message stays one message). Text over 2,000
 * characters goes out as follow-up messages. A mention's answer has no interaction: it is always a
 * channel message, replying to the mentioning one.
 *
 * A retry cannot post twice where Discord lets it tell: editing the response is idempotent, and
 * each channel message of a queued reply carries a `nonce` made from the reply's id and the piece's
 * number with `enforce_nonce`, so Discord answers a repeat within a few minutes with the message it
 * already created instead of posting it again. Follow-up messages (pieces after the first while the
 * token lives) have no such key: a bot killed between posting one and finishing the reply may post
 * that piece again.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#edit-original-interaction-response
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
export class DiscordReplySender implements ReplySender {
  readonly #rest: REST;
  readonly #now: () => number;
  /** Interaction token -> the channel message that stood in for its expired response. */
  readonly #lateMessages = new Map<string, string>();

  constructor(rest: REST, options: DiscordReplySenderOptions = {}) {
    this.#rest = rest;
    this.#now = options.now ?? Date.now;
  }

  async send(address: ReplyAddress, reply: OutboundReply): Promise<SentReply | void> {
    if (address.platform !== 'discord') {
      throw new CodedError('DISCORD_WRONG_PLATFORM', `Cannot answer a ${address.platform} address on Discord`);
    }
    const pieces = splitMessage(defuseMentions(reply.text));
    let sent = 0;
    if (hasInteraction(address) && address.expiresAt > this.#now()) {
      try {
        for await (const _ of this.#viaInteraction(address, reply.visibility, pieces)) sent += 1;
        return;
      } catch (error) {
        if (!isExpiredInteractionError(error)) throw toDiscordError(error, 'answering the interaction');
      }
    }
    const first = await this.#viaChannel(
      address,
      { pieces: pieces.slice(sent), from: sent, delivery: reply.delivery },
      sent === 0,
      reply.status?.messageRef,
    );
    // A status message's stand-in, for any bot process to edit next time (`StatusMessageSequencer`).
    if (reply.status && first !== undefined) return { messageRef: first };
  }

  /**
   * Posts in the channel. A later answer to the same interaction (a progress message updated in
   * place) edits the message posted first, as it would have edited the deferred response: the one
   * `statusRef` names (a status message, known to every bot process), else the one this process
   * remembers. Resolves with the id of the message standing in for the response, if any.
   */
  async #viaChannel(
    address: DiscordAddress,
    { pieces, from, delivery }: { pieces: string[]; from: number; delivery: DeliveryAttempt | undefined },
    replacesFirst: boolean,
    statusRef: string | undefined,
  ): Promise<string | undefined> {
    const channel = address.channelId;
    const token = address.interactionToken;
    const known = replacesFirst ? (statusRef ?? (token ? this.#lateMessages.get(token) : undefined)) : undefined;
    let rest = pieces;
    let first: string | undefined;
    if (known !== undefined && rest[0] !== undefined) {
      try {
        const body = { content: rest[0], allowed_mentions: NO_MENTIONS, flags: NO_EMBEDS };
        await this.#rest.patch(Routes.channelMessage(channel, known), { body });
        rest = rest.slice(1);
        first = known;
      } catch (error) {
        if (!isExpiredInteractionError(error)) throw toDiscordError(error, `editing a message in ${channel}`);
      }
    }
    for (const [i, piece] of rest.entries()) {
      const number = from + (pieces.length - rest.length) + i;
      const id = await this.#post(Routes.channelMessages(channel), {
        content: piece,
        allowed_mentions: NO_MENTIONS,
        flags: NO_EMBEDS,
        ...(delivery ? { nonce: nonceOf(delivery.id, number), enforce_nonce: true } : {}),
        ...(number === 0 ? replyReference(address) : {}),
      });
      if (i === 0 && replacesFirst && rest === pieces) {
        if (token) this.#remember(token, id);
        first = id;
      }
    }
    return first;
  }

  #remember(interactionToken: string, messageId: string): void {
    this.#lateMessages.delete(interactionToken);
    this.#lateMessages.set(interactionToken, messageId);
    const oldest = this.#lateMessages.keys().next();
    if (this.#lateMessages.size > LATE_MESSAGES_KEPT && !oldest.done) this.#lateMessages.delete(oldest.value);
  }

  /** Yields once per piece delivered, so a fallback sends only the rest. */
  async *#viaInteraction(
    address: InteractionAddress,
    visibility: OutboundReply['visibility'],
    pieces: string[],
  ): AsyncGenerator<void> {
    const { applicationId, interactionToken } = address;
    const original = Routes.webhookMessage(applicationId, interactionToken, '@original');
    const privately = visibility === 'private';
    // Follow-ups of a private deferred response stay private; a public one cannot turn private,
    // so a private answer replaces it with ephemeral follow-ups.
    const originalIsPrivate = privately || pieces.length > 1 ? await this.#isEphemeral(original) : false;
    const followupsOnly = privately && !originalIsPrivate;
    if (followupsOnly) await this.#rest.delete(original, { auth: false });
    const followupFlags = { flags: privately || originalIsPrivate ? MessageFlags.Ephemeral | NO_EMBEDS : NO_EMBEDS };
    for (const [i, piece] of pieces.entries()) {
      const body = { content: piece, allowed_mentions: NO_MENTIONS, flags: NO_EMBEDS };
      if (i === 0 && !followupsOnly) {
        await this.#rest.patch(original, { body, auth: false });
      } else {
        await this.#rest.post(Routes.webhook(applicationId, interactionToken), {
          body: { ...body, ...followupFlags },
          query: new URLSearchParams({ wait: 'true' }),
          auth: false,
        });
      }
      yield;
    }
  }

  async #isEphemeral(original: `/${string}`): Promise<boolean> {
    const message = (await this.#rest.get(original, { auth: false })) as { flags?: number };
    return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
  }

  async #post(route: `/${string}`, body: unknown): Promise<string> {
    try {
      const message = (await this.#rest.post(route, { body })) as { id: string };
      return message.id;
    } catch (error) {
      throw toDiscordError(error, `posting to ${route}`);
    }
  }
}

function hasInteraction(address: DiscordAddress): address is InteractionAddress {
  return address.applicationId !== undefined && address.interactionToken !== undefined;
}

/**
 * A mention's answer replies to the mentioning message (without pinging its author: no mentions are
 * allowed); should that message be gone, the answer is posted plainly.
 * @see https://discord.com/developers/docs/resources/message#message-reference-structure
 */
function replyReference(address: DiscordAddress): { message_reference?: object } {
  const id = address.replyToMessageId;
  return id === undefined ? {} : { message_reference: { message_id: id, fail_if_not_exists: false } };
}

/**
 * Discord's nonce for piece `piece` of a reply: at most 25 characters, the same in every attempt.
 * @see https://discord.com/developers/docs/resources/message#create-message-jsonform-params
 */
function nonceOf(replyId: string, piece: number): string {
  return createHash('sha256').update(`${replyId}#${piece}`).digest('base64url').slice(0, 25);
}
