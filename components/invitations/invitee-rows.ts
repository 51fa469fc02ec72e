import type { Role } from '@/db/schema/memberships';
import { splitAddresses } from '@/lib/invitations/addresses';
import { inviteeField, MAX_INVITATIONS_PER_REQUEST } from '@/lib/invitations/schemas';

/**
 * The invitation form's rows, kept apart from the component so that what a paste or a refusal does to them
 * is plain functions. A row's `key` survives removals of other rows; errors follow the key, not the index.
 */
export type InviteeRow = { key: number; email: string; role: Role };
export type RowErrors = Record<number, { email?: string; role?: string }>;

let lastKey = 0;
export const newRow = (role: Role, email = ''): InviteeRow => ({ key: ++lastKey, email, role });

const normalized = (email: string) => email.trim().toLowerCase();

export type Merged = {
  rows: InviteeRow[];
  /** The row the first added address went into (to focus it), when one was added. */
  firstKey: number | null;
  added: number;
  /** Already in the list, or twice in what was pasted: left out. */
  duplicates: number;
  /** What did not fit under the batch's limit, to invite in a second batch. */
  leftover: string[];
};

/**
 * Puts a pasted list into the rows: into the row pasted into (`at`, when it is empty), then into the empty
 * rows, then into new rows after it with `role`, the organization's default. Addresses already listed are
 * skipped; what passes the limit of one batch is handed back.
 */
export function mergeAddresses(
  rows: InviteeRow[],
  pasted: string,
  role: Role,
  at: number | null = null,
): Merged {
  const seen = new Set(rows.map((row) => normalized(row.email)).filter(Boolean));
  const next = rows.map((row) => ({ ...row }));
  const empty = next.filter((row) => row.email.trim() === '');
  const pastedInto = at === null ? undefined : next.find((row) => row.key === at);
  if (pastedInto && pastedInto.email.trim() === '') {
    empty.splice(empty.indexOf(pastedInto), 1);
    empty.unshift(pastedInto);
  }
  let insertAt = pastedInto ? next.indexOf(pastedInto) + 1 : next.length;
  const merged: Merged = { rows: next, firstKey: null, added: 0, duplicates: 0, leftover: [] };
  for (const address of splitAddresses(pasted)) {
    if (seen.has(normalized(address))) {
      merged.duplicates++;
      continue;
    }
    let row = empty.shift();
    if (!row) {
      if (next.length >= MAX_INVITATIONS_PER_REQUEST) {
        merged.leftover.push(address);
        continue;
      }
      row = newRow(role);
      next.splice(insertAt, 0, row);
      insertAt++;
    }
    row.email = address;
    seen.add(normalized(address));
    merged.firstKey ??= row.key;
    merged.added++;
  }
  return merged;
}

/** The rows worth sending: blank rows are left out rather than refused. */
export const rowsToSend = (rows: InviteeRow[]) => rows.filter((row) => row.email.trim() !== '');

/**
 * The action's field errors (`invitees.3.email`, or `invitees` for the whole list) put back on the rows
 * that were sent, by key.
 */
export function errorsOnRows(
  fieldErrors: Record<string, string>,
  sent: InviteeRow[],
): { rows: RowErrors; list: string | null } {
  const rows: RowErrors = {};
  sent.forEach((row, index) => {
    const email = fieldErrors[inviteeField(index, 'email')];
    const role = fieldErrors[inviteeField(index, 'role')];
    if (email || role) rows[row.key] = { email, role };
  });
  return { rows, list: fieldErrors.invitees ?? null };
}

/** What a paste did, in words, for the status line under the rows. */
export function describeMerge({ added, duplicates, leftover }: Merged): string {
  const parts = [`Added ${added} address${added === 1 ? '' : 'es'}.`];
  if (duplicates > 0) {
    parts.push(
      `${duplicates} ${duplicates === 1 ? 'was' : 'were'} already in the list and left out.`,
    );
  }
  if (leftover.length > 0) {
    parts.push(
      `${leftover.length} did not fit (${MAX_INVITATIONS_PER_REQUEST} at most at once): they stay in the box, to invite next.`,
    );
  }
  return parts.join(' ');
}
