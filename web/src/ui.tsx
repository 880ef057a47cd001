/** Small shared pieces: loading/error states, form fields with their errors, a modal dialog, status badges. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { pick, procedureStatus, t } from './i18n';

export const Loading = ({ label }: { label?: string }) => (
  <p class="loading" role="status" aria-live="polite">
    <span class="spinner" aria-hidden="true" />
    {label ?? t('loading')}
  </p>
);

/** Any error, in the user's language, with the API's field issues listed. */
export const ErrorBox = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => {
  const e = error instanceof ApiError ? error : undefined;
  // An issue that only repeats the message (a 409 names its field with the same words) is not listed twice.
  const issues = e ? e.issues.filter((i) => pick(i.message) !== pick(e.text)) : [];
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [error]);
  return (
    <div class="alert alert-error" role="alert" tabIndex={-1} ref={ref}>
      <p>{e ? pick(e.text) : String((error as Error)?.message ?? error)}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((i) => (
            <li key={i.field + i.rule}>{pick(i.message)}</li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" class="btn" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
};

export const Notice = ({
  children,
  kind = 'info',
}: {
  children: ComponentChildren;
  kind?: 'info' | 'success' | 'warn';
}) => (
  <div class={`alert alert-${kind}`} role="status">
    {children}
  </div>
);

export const StatusBadge = ({ status, overdue }: { status: string; overdue?: boolean }) => (
  <span class={`badge badge-${status.toLowerCase()}`}>
    {pick(procedureStatus[status] ?? { vi: status, en: status })}
    {overdue ? <span class="badge badge-overdue">{t('overdue')}</span> : null}
  </span>
);

/** Loads data for a screen: `{ data, error, loading, reload }`. Aborts when the screen goes away. */
export const useLoad = <T,>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) => {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load(ac.signal).then(
      (data) => !ac.signal.aborted && setState({ data, loading: false }),
      (error) => !ac.signal.aborted && setState({ error, loading: false }),
    );
    return () => ac.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
};

export interface FieldProps {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean | undefined;
  /** A stable id (the form's error summary links to it); generated when absent. */
  id?: string | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}

/** A label, the control, its hint and its error, wired with `for`/`aria-describedby`/`aria-invalid`. */
export const Field = ({ label, hint, error, required, id: fixedId, children }: FieldProps) => {
  const generated = useId();
  const id = fixedId ?? generated;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>
        {label}
        {required ? (
          <span class="req" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children({ id, describedBy, invalid: !!error })}
      {error ? (
        <p class="field-error" id={`${id}-err`}>
          {error}
        </p>
      ) : null}
    </div>
  );
};

export interface TextAreaFieldProps extends Omit<FieldProps, 'id' | 'children'> {
  name: string;
  rows: number;
  maxLength?: number | undefined;
  value: string;
  onInput: (value: string) => void;
}

/** A `Field` around a `<textarea>` (a reason, a note, an answer in the family's own words): required on both. */
export const TextAreaField = ({ name, rows, maxLength, value, onInput, ...field }: TextAreaFieldProps) => (
  <Field {...field}>
    {({ id, describedBy, invalid }) => (
      <textarea
        id={id}
        name={name}
        rows={rows}
        maxLength={maxLength}
        required={field.required}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    )}
  </Field>
);

/**
 * A modal dialog on the native `<dialog>`: the browser traps focus and closes on Escape; we focus the first
 * control on open and give focus back to whatever opened it on close.
 */
export const Dialog = ({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) => {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const d = ref.current!;
    if (!d.open) d.showModal();
    const first = d.querySelector<HTMLElement>('textarea, input, select, button:not(.dialog-x)');
    first?.focus();
    return () => {
      // The opener may be gone (an action that can be taken once): fall back to the nearest heading before it.
      if (opener?.isConnected) opener.focus();
      else (document.querySelector('main h1') as HTMLElement | null)?.focus();
    };
  }, []);
  const onCancel = (e: Event) => {
    e.preventDefault();
    onClose();
  };
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={titleId} onCancel={onCancel}>
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="dialog-x" aria-label={t('close')} onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
};

/** Sets the document title and moves focus to the page heading when a screen opens (screen-reader friendly routing). */
export const usePageTitle = (title: string) => {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Liên thông`;
  }, [title]);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  return ref;
};
