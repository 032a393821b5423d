import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {}

interface Holder {
  pid: number;
  started_at: string;
  command: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One host process owns an embedded data directory: chDB refuses a second process, but
 * PGlite would silently lose one process's writes. The lock is a file created
 * exclusively; a holder that died (even by SIGKILL) leaves a file whose pid is gone, and
 * the next start takes it over. Node has no flock, hence the pid check.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'host.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      const holder: Holder = { pid: process.pid, started_at: new Date().toISOString(), command: process.argv.slice(1).join(' ') };
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      return () => {
        try {
          if (readHolder(file)?.pid === process.pid) unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new DataDirLockedError(
          `${dataDir} is in use by another Switchboard host process (pid ${holder.pid}, started ${holder.started_at}: ${holder.command}). ` +
            `Stop that process, or point this one at another directory with SWITCHBOARD_DATA_DIR.`,
        );
      }
      try {
        unlinkSync(file);
      } catch {
        // Another starter removed it first; try again.
      }
    }
  }
  throw new DataDirLockedError(`could not take the lock ${file}; another process keeps taking it`);
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}
