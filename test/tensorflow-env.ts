// Set up in every test worker before a test file loads (vitest `setupFiles`): TensorFlow's environment,
// as each process of the bot sets it at its start (`setTensorflowEnv`), one thread per kernel.
import { setTensorflowEnv } from '../src/model/lstm/tf-threads.js';

setTensorflowEnv('1');
