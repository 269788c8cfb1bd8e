/**
 * Where an answer goes, as plain JSON so it can travel in a queued job: a worker on any host can
 * answer with only this and the platform's REST credentials, without a gateway connection.
 */
export type ReplyAddress =
  | {
      platform: 'discord';
      /** The application of a slash command (with its `interactionToken`). */
      applicationId?: string;
      /**
       * Interaction token: valid for 15 minutes to edit the deferred response. Absent for a mention:
       * its answer is a channel message.
       */
      interactionToken?: string;
      channelId: string;
      /** Epoch ms after which the interaction token no longer works: post a channel message instead. */
      expiresAt: number;
      /** The message that mentioned the bot: the answer is posted as a reply to it. */
      replyToMessageId?: string;
    }
  | {
      platform: 'slack';
      /** `response_url`: 30 minutes, 5 uses. Absent for a mention (`app_mention`): the Web API posts. */
      responseUrl?: string;
      channelId: string;
      userId: string;
      expiresAt: number;
      /** The thread the mention was in (its parent's `ts`): the answer goes to that thread. */
      threadTs?: string;
    }
  | {
      platform: 'console';
      /** The console session (process) that asked. */
      sessionId: string;
      channelId: string;
    };

/**
 * A reply that is the newest state of a status message (a `/retrain`'s progress): senders show it
 * in place of the previous state where the platform can (Discord edits the interaction's response,
 * Slack `chat.update`s the message, a terminal redraws the line).
 */
export interface StatusUpdate {
  /** Names the status message: one per request (`train-<request id>`). */
  key: string;
  /** What the status shows (`queued`, `training`, ..., `done`): a piped console prints only changes. */
  stage: string;
  /** The sender's own reference to the message showing the previous state, as it returned it. */
  messageRef?: string;
}

/**
 * Which delivery of which reply this is, so that a sender can tell whether an earlier attempt already
 * posted it (Discord's `nonce`, Slack's message `metadata`) and not post it twice.
 */
export interface DeliveryAttempt {
  /** The reply's id, the same in every attempt and every bot process (the reply job's id). */
  id: string;
  /** Epoch ms when the first attempt began: an earlier post cannot be older. */
  firstAttemptAt: number;
  /** An earlier attempt began and did not finish (its bot died, or the post failed): it may have posted. */
  mayHavePosted: boolean;
}

/** A message for users: public in the channel, or private to the caller (ephemeral). */
export interface OutboundReply {
  text: string;
  visibility: 'public' | 'private';
  status?: StatusUpdate;
  /** Set by reply delivery (`ReplyDelivery`); absent for the immediate answer to a command. */
  delivery?: DeliveryAttempt;
}

/** What a sender tells about a status message it posted or updated, for the next update to find it. */
export interface SentReply {
  messageRef?: string;
}

/** Posts answers to a platform. Implementations must never let posted text ping anyone. */
export interface ReplySender {
  send(address: ReplyAddress, reply: OutboundReply): Promise<SentReply | void>;
}
