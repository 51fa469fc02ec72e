import { describe, expect, it } from 'vitest';
import {
  describeMerge,
  errorsOnRows,
  mergeAddresses,
  newRow,
  rowsToSend,
} from '@/components/invitations/invitee-rows';

const emails = (rows: { email: string }[]) => rows.map((row) => row.email);

describe('the invitation form’s rows', () => {
  it('turns a pasted list into rows: the row pasted into first, then new rows with the default role', () => {
    const admin = newRow('admin', 'kept@example.com');
    const empty = newRow('viewer');
    const merged = mergeAddresses(
      [admin, empty],
      'Ada Lovelace <ada@example.com>; grace@example.com\nKEPT@example.com, ada@example.com',
      'member',
      empty.key,
    );
    expect(emails(merged.rows)).toEqual([
      'kept@example.com',
      'ada@example.com',
      'grace@example.com',
    ]);
    // The row pasted into keeps its role; the new one gets the default.
    expect(merged.rows.map((row) => row.role)).toEqual(['admin', 'viewer', 'member']);
    expect(merged).toMatchObject({ firstKey: empty.key, added: 2, duplicates: 2, leftover: [] });
    expect(describeMerge(merged)).toBe(
      'Added 2 addresses. 2 were already in the list and left out.',
    );
  });

  it('inserts after the row pasted into, and keeps what passes 50 for a second batch', () => {
    const rows = [newRow('member', 'a@example.com'), newRow('member', 'z@example.com')];
    const pasted = Array.from({ length: 52 }, (_, i) => `p${i}@example.com`).join(' ');
    const merged = mergeAddresses(rows, pasted, 'viewer', rows[0]!.key);
    expect(merged.rows).toHaveLength(50);
    expect(emails(merged.rows).slice(0, 3)).toEqual([
      'a@example.com',
      'p0@example.com',
      'p1@example.com',
    ]);
    expect(merged.rows.at(-1)!.email).toBe('z@example.com');
    expect(merged.leftover).toEqual([
      'p48@example.com',
      'p49@example.com',
      'p50@example.com',
      'p51@example.com',
    ]);
    expect(describeMerge(merged)).toMatch(
      /Added 48 addresses\. 4 did not fit \(50 at most at once\)/,
    );
  });

  it('puts the action’s refusals back on the rows that were sent, by key, skipping blank rows', () => {
    const rows = [
      newRow('member', 'a@example.com'),
      newRow('member', ' '),
      newRow('owner', 'b@example.com'),
    ];
    const sent = rowsToSend(rows);
    expect(emails(sent)).toEqual(['a@example.com', 'b@example.com']);
    expect(
      errorsOnRows(
        { 'invitees.1.role': 'Only owners can invite owners.', invitees: 'Too many.' },
        sent,
      ),
    ).toEqual({
      rows: { [rows[2]!.key]: { role: 'Only owners can invite owners.' } },
      list: 'Too many.',
    });
  });
});
