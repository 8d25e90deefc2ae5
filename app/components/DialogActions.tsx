/** The end of every form dialog: the refusal (if any), then Cancel and the submit button. */
export function DialogActions({ error, submitLabel, onCancel, disabled }: { error?: string; submitLabel: string; onCancel: () => void; disabled?: boolean }) {
  return (
    <>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={disabled}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
