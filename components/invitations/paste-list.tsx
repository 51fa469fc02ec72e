'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';

/**
 * "Paste a list": a box for many addresses at once (from a spreadsheet column or a mail's recipients),
 * added to the rows on request. What did not fit comes back in it (`initial`), open.
 */
export function PasteList({ initial, onAdd }: { initial: string; onAdd: (text: string) => void }) {
  const id = useId();
  const [open, setOpen] = useState(initial !== '');
  const [text, setText] = useState(initial);
  if (!open) {
    return (
      <Button type="button" variant="ghost" aria-expanded={false} onClick={() => setOpen(true)}>
        Paste a list…
      </Button>
    );
  }
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        Addresses to add
      </label>
      <textarea
        id={id}
        rows={4}
        // biome-ignore lint/a11y/noAutofocus: opened on request, to type or paste into at once
        autoFocus
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="ada@example.com, Grace Hopper <grace@example.com>"
        aria-describedby={`${id}-hint`}
        className="block w-full rounded-md bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 focus:outline-none focus:ring-2 focus:ring-brand-500"
      />
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        Separated by commas, semicolons, spaces or new lines. Each becomes a row with the default
        role.
      </p>
      <div className="flex gap-2">
        <Button
          type="button"
          variant="secondary"
          disabled={text.trim() === ''}
          onClick={() => {
            onAdd(text);
            setText('');
            setOpen(false);
          }}
        >
          Add to the list
        </Button>
        <Button type="button" variant="ghost" aria-expanded onClick={() => setOpen(false)}>
          Close
        </Button>
      </div>
    </div>
  );
}
