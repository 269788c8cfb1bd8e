import { channelKey, type ChannelRef } from '../commands/channel-ref.js';
import type { FineTuneOptions, FineTuneResult } from '../model/fine-tune.js';
import type { ModelCard } from '../model/model-card.js';
import { tfLoad } from '../model/tf.js';

/**
 * The card of a channel's fine-tuned model: the base model's format and licenses, and this run's own
 * data (training messages, their tokens and unknown-word rate), settings, epochs and held-out validation.
 */
export function fineTunedCard(o: {
  base: ModelCard;
  version: string;
  channel: ChannelRef;
  messagesSha256: string;
  /** The settings the run used (`fineTuneDefaults` merged with what was asked). */
  tuning: Pick<FineTuneOptions, 'batchSize' | 'seqLength' | 'learningRate'>;
  result: FineTuneResult;
}): Omit<ModelCard, 'weights'> {
  const { base, result } = o;
  return {
    ...base,
    id: o.version,
    createdAt: new Date().toISOString(),
    config: result.params.config,
    corpus: {
      name: `channel ${channelKey(o.channel)}`,
      sha256: o.messagesSha256,
      format: 'jsonl',
      messages: result.trainMessages,
      tokens: result.trainTokens,
      unknownRate: result.unknownRate,
    },
    training: {
      ...base.training,
      batchSize: o.tuning.batchSize,
      seqLength: o.tuning.seqLength,
      learningRate: o.tuning.learningRate,
      epochs: result.epochs,
      tokensSeen: result.tokensSeen,
      trainingSeconds: result.trainingMs / 1000,
      stoppedBy: result.stoppedBy,
      backend: tfLoad.backend,
    },
    validation: {
      loss: result.validation.loss,
      perplexity: result.validation.perplexity,
      tokens: result.validation.tokens,
    },
    command: `retrain from ${base.id}`,
  };
}
