// Entry of the prepare threads (prepare-pool.ts). A worker thread does not inherit the parent's TypeScript loader,
// so it registers tsx itself before loading prepare.ts.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { prepareBatch } = await import('./prepare.ts');
const { IngestHttpError } = await import('./errors.ts');

parentPort.on('message', (input) => {
  try {
    parentPort.postMessage({ prepared: prepareBatch(input) });
  } catch (error) {
    // A refusal travels as its parts; anything else is a bug, reported as such.
    if (error instanceof IngestHttpError) parentPort.postMessage({ refused: { status: error.status, code: error.code, message: error.message } });
    else parentPort.postMessage({ failed: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true });
