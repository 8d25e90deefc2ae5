"use client";

/** The Edit and × buttons of a channel or rule row; each shows only when its handler is given (role). */
export function RowActions<T>({ item, label, onEdit, onRemove }: { item: T; label: string; onEdit?: (item: T) => void; onRemove?: (item: T) => void }) {
  return (
    <div className="row-actions">
      {onEdit && (
        <button type="button" className="btn btn-small" aria-label={`Edit ${label}`} onClick={() => onEdit(item)}>
          Edit
        </button>
      )}
      {onRemove && (
        <button type="button" className="btn-icon danger" aria-label={`Remove ${label}`} onClick={() => onRemove(item)}>
          ×
        </button>
      )}
    </div>
  );
}
