import { UNK_ID } from '../text/special-tokens.js';
import type { Vocabulary } from '../text/vocabulary.js';

/**
 * How a model reads a stream written in another, larger vocabulary (see `evaluateOnVocabulary`):
 * each stream id's id in the model's vocabulary (`<unk>` for the words it lacks), and K, the number of
 * stream outcomes the model's `<unk>` stands for (the words it lacks, plus the stream's own `<unk>`).
 */
export function modelIdsOnVocabulary(
  modelVocab: Vocabulary,
  streamVocab: Vocabulary,
): { toModel: Int32Array; unknownSharedBy: number } {
  const toModel = new Int32Array(streamVocab.size);
  let lacking = 0;
  for (let id = 0; id < streamVocab.size; id++) {
    toModel[id] = modelVocab.idOf(streamVocab.tokenOf(id));
    if (toModel[id] === UNK_ID && id !== UNK_ID) lacking++;
  }
  return { toModel, unknownSharedBy: lacking + 1 };
}
