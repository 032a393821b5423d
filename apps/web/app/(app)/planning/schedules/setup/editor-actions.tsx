import styles from './setup.module.css';

/** An editor's buttons: save (for those who may change it) and cancel, or close for those who only read. */
export function EditorActions({
  canEdit,
  saving,
  disabled = false,
  label,
  onClose,
}: {
  canEdit: boolean;
  saving: boolean;
  disabled?: boolean;
  label: string;
  onClose: () => void;
}) {
  return (
    <div className={styles.actions}>
      {canEdit && (
        <button type="submit" disabled={saving || disabled}>
          {saving ? 'Saving…' : label}
        </button>
      )}
      <button type="button" className="ghost" onClick={onClose}>
        {canEdit ? 'Cancel' : 'Close'}
      </button>
    </div>
  );
}
