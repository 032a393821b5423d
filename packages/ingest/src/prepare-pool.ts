import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { IngestHttpError } from './errors.ts';
import type { PreparedBatch, PrepareInput } from './prepare.ts';

export interface PreparePoolOptions {
  /** Threads, started as bodies come. */
  threads: number;
  /** Bodies that may wait for a thread; past that, 429 with Retry-After. */
  queue: number;
  /**
   * A body that takes longer than `timeoutMs` plus `timeoutMsPerMb` per MB is stopped (its thread terminated) and refused:
   * a valid body is prepared in time proportional to its size, a corrupted Arrow stream may never end.
   */
  timeoutMs: number;
  timeoutMsPerMb: number;
  /** Each thread's heap; a body that needs more ends its thread and is refused. */
  maxHeapMb: number;
  /** An idle thread ends after this long. */
  idleMs: number;
}

const defaultPreparePoolOptions: PreparePoolOptions = {
  threads: Math.min(4, Math.max(2, availableParallelism() - 1)),
  queue: 16,
  // Measured on a busy 2-core machine, Arrow: 2,000 events (0.7 MB) in 70 ms, 100,000 (36 MB) in 5 s. A few times that.
  timeoutMs: 2_000,
  timeoutMsPerMb: 500,
  maxHeapMb: 512,
  idleMs: 60_000,
};

interface Task {
  input: PrepareInput;
  resolve: (prepared: PreparedBatch) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  started: boolean;
  ended: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
  error?: Error;
}

type Reply =
  { ready: true } | { prepared: PreparedBatch } | { refused: { status: number; code: IngestHttpError['code']; message: string } } | { failed: string };

/**
 * Prepares bodies (prepare.ts: decode, validate, redact, encode) in worker threads, so a 10,000-event batch does not hold
 * the event loop every other request waits on. Arrow streams always come here: apache-arrow trusts the lengths in a
 * stream's metadata, and a few corrupted bytes make it loop for minutes or grow the heap until the process dies. Here
 * such a body costs one thread at most its time limit and `maxHeapMb`; the sender gets 400 and the event loop never waits.
 */
export class PreparePool {
  readonly #options: PreparePoolOptions;
  readonly #threads = new Set<Thread>();
  readonly #idle: Thread[] = [];
  readonly #waiting: Task[] = [];

  constructor(options: Partial<PreparePoolOptions> = {}) {
    this.#options = { ...defaultPreparePoolOptions, ...options };
  }

  prepare(input: PrepareInput): Promise<PreparedBatch> {
    if (this.#idle.length === 0 && this.#waiting.length >= this.#options.queue) {
      return Promise.reject(
        new IngestHttpError(429, 'overloaded', 'ingest is at capacity; retry this batch after Retry-After seconds', { 'retry-after': '1' }),
      );
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ input, resolve, reject });
      this.#dispatch();
    });
  }

  /** Ends every thread; bodies still waiting or being prepared are refused with 503. */
  async close(): Promise<void> {
    for (const task of this.#waiting.splice(0)) task.reject(unavailable());
    await Promise.all([...this.#threads].map((thread) => this.#end(thread, unavailable())));
  }

  #dispatch(): void {
    for (let thread = this.#idle.pop(); thread; thread = this.#idle.pop()) {
      const task = this.#waiting.shift();
      if (!task) {
        this.#idle.push(thread);
        break;
      }
      clearTimeout(thread.timer);
      thread.task = task;
      const limitMs = this.#options.timeoutMs + (task.input.body.length / 1e6) * this.#options.timeoutMsPerMb;
      thread.timer = setTimeout(() => void this.#end(thread, badBody(task.input, `could not be read within ${(limitMs / 1000).toFixed(1)} s`)), limitMs);
      thread.worker.postMessage(task.input);
    }
    const starting = [...this.#threads].filter((t) => !t.started).length;
    for (let n = starting; n < this.#waiting.length && this.#threads.size < this.#options.threads; n++) this.#start();
  }

  #start(): void {
    const worker = new Worker(new URL('./prepare-worker.mjs', import.meta.url), {
      // The entry registers its own loader; the parent's flags would add a second.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.#options.maxHeapMb },
    });
    // Requests waiting for their bodies keep the process alive; an idle thread does not.
    worker.unref();
    const thread: Thread = { worker, started: false, ended: false };
    this.#threads.add(thread);
    worker.on('message', (reply: Reply) => {
      // A reply that crossed the timeout: its body was refused already.
      if (thread.ended) return;
      const task = thread.task;
      thread.task = undefined;
      thread.started = true;
      this.#release(thread);
      if (!task || 'ready' in reply) return;
      if ('prepared' in reply) task.resolve(reply.prepared);
      else if ('refused' in reply) task.reject(new IngestHttpError(reply.refused.status, reply.refused.code, reply.refused.message));
      else task.reject(new Error(`preparing a body failed: ${reply.failed}`));
    });
    worker.on('error', (error) => (thread.error = error));
    worker.on('exit', () => {
      const outOfMemory = (thread.error as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      if (!thread.ended && !outOfMemory) console.error(`ingest: a prepare thread ended: ${thread.error?.message ?? 'no error given'}`);
      // A thread that cannot start would be started again for ever: the bodies waiting for one are refused instead.
      if (!thread.started) for (const task of this.#waiting.splice(0)) task.reject(unavailable());
      const task = thread.task;
      void this.#end(thread, outOfMemory && task ? badBody(task.input, `needs more than the ${this.#options.maxHeapMb} MB a body may use`) : unavailable());
      this.#dispatch();
    });
  }

  /** Ends a thread, refusing its body (if it has one) with `error`. */
  async #end(thread: Thread, error: IngestHttpError): Promise<void> {
    if (thread.ended) return;
    thread.ended = true;
    this.#threads.delete(thread);
    clearTimeout(thread.timer);
    const idle = this.#idle.indexOf(thread);
    if (idle !== -1) this.#idle.splice(idle, 1);
    thread.task?.reject(error);
    thread.task = undefined;
    await thread.worker.terminate();
  }

  /** A thread free again; it ends after `idleMs` unless a body comes. */
  #release(thread: Thread): void {
    clearTimeout(thread.timer);
    thread.timer = setTimeout(() => void this.#end(thread, unavailable()), this.#options.idleMs).unref();
    this.#idle.push(thread);
    this.#dispatch();
  }
}

const badBody = (input: PrepareInput, why: string) =>
  new IngestHttpError(
    400,
    'malformed_body',
    `the ${input.format === 'arrow' ? 'Arrow stream' : 'body'} ${why}: it is corrupted, or too large a batch; send a valid one or split it`,
  );

const unavailable = () =>
  new IngestHttpError(503, 'store_unavailable', 'preparing bodies is unavailable on this host; retry this batch after Retry-After seconds', {
    'retry-after': '2',
  });
