'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert, Card } from '@/components/ui/card';
import type { MySession } from '@/lib/account/sessions';
import { revokeMySession, revokeOtherSessions } from '@/lib/account/settings-actions';
import { unwrap } from '@/lib/actions/unwrap';

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The user's sessions, each with a way to end it. A session ended here leaves the list as soon as the action
 * answers, from the list's own state. The answer also carries the page re-rendered (`rerenders`), but that is
 * a router update, which React 19.2 could lose (components/members/membership-watcher.tsx): the list must not
 * keep offering a session that no longer exists, whatever becomes of the update.
 */
export function SessionsList({ sessions: listed }: { sessions: MySession[] }) {
  const [ended, setEnded] = useState<ReadonlySet<string>>(new Set());
  const sessions = listed.filter((s) => !ended.has(s.id));
  const revokeOne = useMutation({
    mutationFn: (id: string) => unwrap(revokeMySession({ id })),
    onSuccess: (_data, id) => setEnded((before) => new Set(before).add(id)),
  });
  const revokeOthers = useMutation({
    mutationFn: () => unwrap(revokeOtherSessions({})),
    onSuccess: () =>
      setEnded(
        (before) => new Set([...before, ...listed.filter((s) => !s.current).map((s) => s.id)]),
      ),
  });
  const others = sessions.filter((s) => !s.current).length;
  const error = revokeOne.error ?? revokeOthers.error;

  return (
    <div className="max-w-4xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">
          Where you are signed in, in every organization you belong to. Signing a session out takes
          effect on its next request.
        </p>
        <Button
          variant="danger"
          disabled={others === 0}
          pending={revokeOthers.isPending}
          onClick={() => revokeOthers.mutate()}
        >
          Sign out all other sessions
        </Button>
      </div>
      {error && <Alert>{error.message}</Alert>}
      <Card>
        <ul aria-label="Sessions" className="divide-y divide-slate-100">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-4 px-5 py-4">
              <div className="min-w-0">
                <p className="font-medium text-slate-900">
                  {s.device}
                  {s.current && (
                    <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-semibold text-emerald-700">
                      This session
                    </span>
                  )}
                </p>
                <p className="text-sm text-slate-600">{s.organization}</p>
                <p className="text-xs text-slate-500">
                  {s.ip ?? 'Unknown address'} · signed in {when(s.createdAt)} · last active{' '}
                  {when(s.lastSeenAt)}
                </p>
              </div>
              {!s.current && (
                <Button
                  variant="secondary"
                  pending={revokeOne.isPending && revokeOne.variables === s.id}
                  onClick={() => revokeOne.mutate(s.id)}
                  aria-label={`Sign out ${s.device} in ${s.organization}`}
                >
                  Sign out
                </Button>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
