export * from './env.ts';
export * from './lock.ts';
export * from './host.ts';
export * from './status.ts';
export * from './operator.ts';
export * from './provisioning.ts';
export * from './operator-client.ts';
export type { ImportedQueue } from './history-import.ts';
export { startMailSender, type MailSender } from './mail-sender.ts';
export { SLOW_INSERTS_FILE } from './fault-seams.ts';
export {
  BACKUP_FORMAT,
  backupStores,
  checkMigrationLevels,
  DATA_DIR_FILES,
  prepareBackupDir,
  readManifest,
  restoreClickHouse,
  restorePostgres,
  restoreRollups,
  RestoreRefused,
  sha256File,
  StoresBackup,
  TEMPORAL_DB,
  verifyChecksums,
  writeManifest,
  type BackupManifest,
} from './backup.ts';
