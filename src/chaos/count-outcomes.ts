import { safeSlackText } from '../adapters/slack/safe-slack-text.js';
import { renderReply } from '../replies/reply-catalogue.js';
import type { PlatformPost } from './fake-slack-platform.js';
import type { ChaosAck, ChaosRequest } from './slash-command-load.js';

/** What one request came to. Accepted requests get exactly one outcome, rejected ones none. */
export type ChaosOutcome = 'once' | 'twice' | 'apology' | 'unavailable' | 'other' | 'never';

export interface ChaosCounts {
  requests: number;
  /** HTTP 200 from the receiver. */
  accepted: number;
  /** Any other status, no answer (refused, reset) or none within the ack timeout. */
  rejected: number;
  /** Accepted and answered exactly once. */
  once: number;
  /** Accepted and answered two or more times. */
  twice: number;
  /** Accepted, not answered, told "Something went wrong" or "could not write a continuation". */
  apology: number;
  /** Accepted, not answered, told the bot is temporarily unavailable. */
  unavailable: number;
  /** Accepted, not answered, told something else (a usage line, a rate limit, ...). */
  other: number;
  /** Accepted, and nothing at all reached the user (beyond "Thinking…"). */
  never: number;
  /** Accepted, answered, and also told of a failure (an apology or "unavailable" besides the answer). */
  answeredAndApologised: number;
  /** Not accepted, yet answered (the receiver died after it queued the request). */
  rejectedButAnswered: number;
  /** Posts no request could be matched to (should stay 0). */
  unattributedPosts: number;
  /** Rejections by reason: the HTTP status or the network error. */
  rejectedBy: Record<string, number>;
  ackP50Ms: number;
  ackP99Ms: number;
  /** Accepted requests acknowledged after Slack's 3 s limit. */
  acksOver3s: number;
  /** From sending an accepted request to its first answer: the 99th percentile and the longest, in seconds. */
  answerP99S: number;
  answerMaxS: number;
  /** A few prompts per problem outcome, to look them up in the logs. */
  examples: Partial<Record<'twice' | 'never' | 'other' | 'apology', string[]>>;
}

type Kind = 'answer' | 'apology' | 'unavailable' | 'thinking' | 'other';

const APOLOGIES = [renderReply('command.internalError'), renderReply('continue.failed')].map(safeSlackText);
const UNAVAILABLE = safeSlackText(renderReply('command.unavailable'));
const THINKING = safeSlackText(renderReply('continue.queued'));
const EXAMPLES_PER_OUTCOME = 5;
const SLACK_ACK_LIMIT_MS = 3_000;

/**
 * Matches every post the fake platform recorded (and every acknowledgement's text) to its request,
 * by `response_url` id, by the user of an ephemeral message, or by the unique prompt an answer
 * starts with; then gives each request its outcome. An answer is a public post that starts with the
 * request's prompt (every `/continue` answer does).
 */
export function countOutcomes(
  requests: readonly ChaosRequest[],
  acks: readonly ChaosAck[],
  posts: readonly PlatformPost[],
): ChaosCounts {
  const { kinds, firstAnswerMs, unattributedPosts } = sortReplies(requests, acks, posts);
  const counts: ChaosCounts = {
    requests: requests.length,
    accepted: 0,
    rejected: 0,
    once: 0,
    twice: 0,
    apology: 0,
    unavailable: 0,
    other: 0,
    never: 0,
    answeredAndApologised: 0,
    rejectedButAnswered: 0,
    unattributedPosts,
    rejectedBy: {},
    ackP50Ms: 0,
    ackP99Ms: 0,
    acksOver3s: 0,
    answerP99S: 0,
    answerMaxS: 0,
    examples: {},
  };
  const acceptedAckMs: number[] = [];
  const answerMs: number[] = [];
  for (const ack of acks) {
    const seen = kinds[ack.request.index]!;
    const answers = seen.filter((kind) => kind === 'answer').length;
    if (ack.status !== 200) {
      counts.rejected += 1;
      const reason = ack.error ?? `HTTP ${ack.status}`;
      counts.rejectedBy[reason] = (counts.rejectedBy[reason] ?? 0) + 1;
      if (answers > 0) counts.rejectedButAnswered += 1;
      continue;
    }
    counts.accepted += 1;
    acceptedAckMs.push(ack.ackMs);
    const answeredAtMs = firstAnswerMs[ack.request.index];
    if (answeredAtMs !== undefined) answerMs.push(answeredAtMs - ack.sentAtMs);
    if (ack.ackMs > SLACK_ACK_LIMIT_MS) counts.acksOver3s += 1;
    const outcome = outcomeOf(seen);
    counts[outcome] += 1;
    if (answers > 0 && seen.some((kind) => kind === 'apology' || kind === 'unavailable')) {
      counts.answeredAndApologised += 1;
    }
    if (outcome !== 'once' && outcome !== 'unavailable') {
      const examples = (counts.examples[outcome] ??= []);
      if (examples.length < EXAMPLES_PER_OUTCOME) examples.push(ack.request.prompt);
    }
  }
  counts.ackP50Ms = percentile(acceptedAckMs, 0.5);
  counts.ackP99Ms = percentile(acceptedAckMs, 0.99);
  counts.answerP99S = Math.round(percentile(answerMs, 0.99) / 100) / 10;
  counts.answerMaxS = Math.round(percentile(answerMs, 1) / 100) / 10;
  return counts;
}

/** What each request received (its acknowledgement's text and the posts attributed to it), and when its first answer came. */
function sortReplies(requests: readonly ChaosRequest[], acks: readonly ChaosAck[], posts: readonly PlatformPost[]) {
  const kinds = requests.map(() => [] as Kind[]);
  const firstAnswerMs = requests.map((): number | undefined => undefined);
  const byResponseId = new Map(requests.map((r) => [r.responseId, r]));
  const byUser = new Map(requests.map((r) => [r.userId, r]));
  let unattributedPosts = 0;
  for (const ack of acks)
    if (ack.text !== undefined) kinds[ack.request.index]!.push(kindOf(ack.text, ack.request, false));
  for (const post of posts) {
    const request = attribute(post, requests, byResponseId, byUser);
    if (request === undefined) unattributedPosts += 1;
    else {
      const kind = kindOf(post.text, request, post.visibility === 'public');
      kinds[request.index]!.push(kind);
      if (kind === 'answer') firstAnswerMs[request.index] ??= post.atMs;
    }
  }
  return { kinds, firstAnswerMs, unattributedPosts };
}

/** True when every accepted request has an outcome other than `never` (the harness may stop waiting). */
export function everyAcceptedHeardBack(
  requests: readonly ChaosRequest[],
  acks: readonly ChaosAck[],
  posts: readonly PlatformPost[],
): boolean {
  return countOutcomes(requests, acks, posts).never === 0;
}

function outcomeOf(seen: readonly Kind[]): ChaosOutcome {
  const answers = seen.filter((kind) => kind === 'answer').length;
  if (answers >= 2) return 'twice';
  if (answers === 1) return 'once';
  if (seen.includes('apology')) return 'apology';
  if (seen.includes('unavailable')) return 'unavailable';
  if (seen.includes('other')) return 'other';
  return 'never';
}

function kindOf(text: string, request: ChaosRequest, isPublic: boolean): Kind {
  if (isPublic && text.startsWith(safeSlackText(request.prompt))) return 'answer';
  if (APOLOGIES.some((apology) => text.startsWith(apology))) return 'apology';
  if (text.startsWith(UNAVAILABLE)) return 'unavailable';
  if (text === THINKING) return 'thinking';
  return 'other';
}

function attribute(
  post: PlatformPost,
  requests: readonly ChaosRequest[],
  byResponseId: ReadonlyMap<string, ChaosRequest>,
  byUser: ReadonlyMap<string, ChaosRequest>,
): ChaosRequest | undefined {
  if (post.responseId !== undefined) return byResponseId.get(post.responseId);
  if (post.via === 'chat.postEphemeral' && post.user !== undefined) return byUser.get(post.user);
  const index = /^q(\d+)x/.exec(post.text)?.[1];
  const request = index === undefined ? undefined : requests[Number(index)];
  return request !== undefined && post.text.startsWith(safeSlackText(request.prompt)) ? request : undefined;
}

function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
}
