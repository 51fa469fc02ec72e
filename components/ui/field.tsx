import { type InputHTMLAttributes, type ReactNode, useId } from 'react';

/** What a control needs to be tied to its label, its hint and its error for screen readers. */
export type ControlProps = {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
};

/**
 * The label above a control and its hint or error beneath, shared by every kind of field: `children` draws
 * the control itself with the ids that tie them together.
 */
export function FieldFrame({
  label,
  error,
  hint,
  className,
  children,
}: {
  label: string;
  error?: string;
  hint?: ReactNode;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const describedBy =
    [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && !error && (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1.5 text-xs font-medium text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input with its hint and its error right beneath it, wired for screen readers. */
export function Field({
  label,
  error,
  hint,
  suffix,
  className = '',
  ...input
}: InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  error?: string;
  hint?: ReactNode;
  suffix?: ReactNode;
}) {
  return (
    <FieldFrame label={label} error={error} hint={hint} className={className}>
      {(control) => (
        <div
          className={`mt-1.5 flex rounded-md bg-white shadow-sm ring-1 focus-within:ring-2 ${error ? 'ring-red-400 focus-within:ring-red-500' : 'ring-slate-300 focus-within:ring-brand-500'}`}
        >
          <input
            {...control}
            className="min-w-0 flex-1 rounded-md bg-transparent px-3 py-2 text-sm text-slate-900 outline-none placeholder:text-slate-400"
            {...input}
          />
          {suffix && (
            <span className="flex items-center pr-3 text-sm text-slate-500">{suffix}</span>
          )}
        </div>
      )}
    </FieldFrame>
  );
}
