import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosDeployment } from './chaos-deployment.js';
import { chaosRequests } from './chaos-requests.js';
import { driveSlashCommands } from './slash-command-load.js';

const REQUESTS_PER_ROUND = 4;
const POLL_MS = 250;

/**
 * Sends a few `/continue`s to the warm-up channel, round after round, until every worker has logged
 * `model loaded`, or `timeoutMs` has passed (then the experiment goes on, and says so). A real
 * deployment's workers have their model in memory; a first load blocks a worker long enough on a
 * busy host for its short job locks to lapse, which is not what the experiments measure.
 * Resolves with whether every worker was warm.
 */
export async function warmUpWorkers(deployment: ChaosDeployment, timeoutMs: number): Promise<boolean> {
  const deadlineMs = performance.now() + timeoutMs;
  const { platform } = deployment;
  const loaded = async () =>
    (await Promise.all(deployment.workers.map((worker) => worker.logContains(/"model loaded"/)))).every(Boolean);
  while (!(await loaded())) {
    if (performance.now() >= deadlineMs) return false;
    const requests = chaosRequests(REQUESTS_PER_ROUND, randomBytes(3).toString('hex'), { warmUp: true });
    const acks = await driveSlashCommands({
      url: deployment.receiverUrl,
      signingSecret: deployment.signingSecret,
      teamId: platform.teamId,
      requests,
      responseUrl: (id) => platform.responseUrl(id),
      concurrency: REQUESTS_PER_ROUND,
      durationMs: 0,
      ackTimeoutMs: 10_000,
    });
    const accepted = acks.filter((ack) => ack.status === 200).map((ack) => ack.request.responseId);
    const answered = () =>
      accepted.every((id) => platform.posts.some((post) => post.responseId === id && post.visibility === 'public'));
    while (!answered() && performance.now() < deadlineMs) await sleep(POLL_MS);
  }
  return true;
}
