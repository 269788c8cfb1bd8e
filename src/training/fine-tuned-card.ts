import { channelKey, type ChannelRef } from '../commands/channel-ref.js';
import type { FineTuneResult } from '../model/training/fine-tune.js';
import type { ModelCard } from '../model/store/model-card.js';
import { tfLoad } from '../model/lstm/tf.js';

/**
 * The card of a channel's fine-tuned model: the base model's format and licenses, and this run's own
 * data (training messages, their tokens and unknown-word rate), settings, epochs and held-out validation.
 */
export function fineTunedCard(options: {
  base: ModelCard;
  version: string;
  channel: ChannelRef;
  messagesSha256: string;
  result: FineTuneResult;
}): Omit<ModelCard, 'weights'> {
  const { base, result } = options;
  return {
    ...base,
    id: options.version,
    createdAt: new Date().toISOString(),
    config: result.params.config,
    corpus: {
      name: `channel ${channelKey(options.channel)}`,
      sha256: options.messagesSha256,
      format: 'jsonl',
      messages: result.trainMessages,
      tokens: result.trainTokens,
      unknownRate: result.unknownRate,
    },
    training: {
      ...base.training,
      batchSize: result.settings.batchSize,
      seqLength: result.settings.seqLength,
      learningRate: result.settings.learningRate,
      carryState: true,
      epochs: result.epochs,
      schedule: {
        warmupFraction: result.settings.warmupFraction,
        decay: result.settings.decay,
        finalLearningRateFactor: result.settings.finalLearningRateFactor,
      },
      dropout: result.settings.dropout,
      ...(result.settings.averageFrom !== undefined && { averageFrom: result.settings.averageFrom }),
      ...(result.averagedSteps && { averagedSteps: result.averagedSteps }),
      tokensSeen: result.tokensSeen,
      trainingSeconds: result.trainingMs / 1000,
      stoppedBy: result.stoppedBy,
      backend: tfLoad.backend,
      precision: result.precision,
    },
    validation: {
      loss: result.validation.loss,
      perplexity: result.validation.perplexity,
      tokens: result.validation.tokens,
    },
    command: `retrain from ${base.id}`,
  };
}
