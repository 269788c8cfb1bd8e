/**
 * Where an answer goes, as plain JSON so it can travel in a queued job: a worker on any host can
 * answer with only this and the platform's REST credentials, without a gateway connection.
 */
export type ReplyAddress =
  | {
      platform: 'discord';
      applicationId: string;
      /** Interaction token: valid for 15 minutes to edit the deferred response. */
      interactionToken: string;
      channelId: string;
      /** Epoch ms after which the interaction token no longer works: post a channel message instead. */
      expiresAt: number;
    }
  | {
      platform: 'slack';
      /** `response_url`: 30 minutes, 5 uses. */
      responseUrl: string;
      channelId: string;
      userId: string;
      expiresAt: number;
    }
  | {
      platform: 'console';
      /** The console session (process) that asked. */
      sessionId: string;
      channelId: string;
    };

/** A message for users: public in the channel, or private to the caller (ephemeral). */
export interface OutboundReply {
  text: string;
  visibility: 'public' | 'private';
}

/** Posts answers to a platform. Implementations must never let posted text ping anyone. */
export interface ReplySender {
  send(address: ReplyAddress, reply: OutboundReply): Promise<void>;
}
