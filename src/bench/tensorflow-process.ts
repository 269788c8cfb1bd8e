/**
 * The first import of every bench entry point (`node dist/bench/<entry>.js`): ES modules run their
 * imports before their own code, so TensorFlow's environment is set here, before any later import
 * loads `tf.ts`. One thread per kernel unless the parent process chose otherwise (see `tf-threads.ts`).
 */
import { setTensorflowEnv } from '../model/lstm/tf-threads.js';

setTensorflowEnv('1');
