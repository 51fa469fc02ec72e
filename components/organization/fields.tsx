import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { FieldFrame } from '@/components/ui/field';

type Labelled = { label: string; error?: string; hint?: ReactNode };

const controlClass = (error?: string) =>
  `mt-1.5 block w-full rounded-md bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 focus:outline-none focus:ring-2 ${error ? 'ring-red-400 focus:ring-red-500' : 'ring-slate-300 focus:ring-brand-500'}`;

/** A labelled select with its hint and error beneath, like `Field`. */
export function SelectField({
  label,
  error,
  hint,
  children,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & Labelled) {
  return (
    <FieldFrame label={label} error={error} hint={hint}>
      {(control) => (
        <select {...control} className={controlClass(error)} {...select}>
          {children}
        </select>
      )}
    </FieldFrame>
  );
}

/** A labelled textarea with its hint and error beneath, like `Field`. */
export function TextareaField({
  label,
  error,
  hint,
  ...textarea
}: TextareaHTMLAttributes<HTMLTextAreaElement> & Labelled) {
  return (
    <FieldFrame label={label} error={error} hint={hint}>
      {(control) => <textarea {...control} className={controlClass(error)} {...textarea} />}
    </FieldFrame>
  );
}
