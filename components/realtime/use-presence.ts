'use client';

import type { Members, PresenceChannel } from 'pusher-js';
import { useEffect, useState } from 'react';
import { useRealtimeClient } from './realtime-provider';

export type PresentMember = { id: string; name: string };
export type Presence = { members: PresentMember[]; myId: string | null; failed: boolean };

const EMPTY: Presence = { members: [], myId: null, failed: false };

function membersOf(members: Members): Presence {
  const list: PresentMember[] = [];
  members.each((m: { id: string; info?: { name?: string } }) => {
    list.push({ id: m.id, name: m.info?.name ?? 'Someone' });
  });
  list.sort((a, b) => a.name.localeCompare(b.name));
  return { members: list, myId: members.myID ?? null, failed: false };
}

/**
 * Who is on a presence channel, kept current as people arrive and leave. Identity comes from the server's
 * channel authorization, never from the browser. `failed` says the subscription was refused (for example a
 * presence channel that is full), so the caller can fall back to a narrower one.
 */
export function usePresence(channelName: string | null): Presence {
  const client = useRealtimeClient();
  const [presence, setPresence] = useState<Presence>(EMPTY);
  useEffect(() => {
    if (!client || !channelName) {
      setPresence(EMPTY);
      return;
    }
    const channel = client.subscribe(channelName) as PresenceChannel;
    const refresh = () => setPresence(membersOf(channel.members));
    channel.bind('pusher:subscription_succeeded', refresh);
    channel.bind('pusher:member_added', refresh);
    channel.bind('pusher:member_removed', refresh);
    channel.bind('pusher:subscription_error', () => setPresence({ ...EMPTY, failed: true }));
    return () => {
      channel.unbind_all();
      client.unsubscribe(channelName);
      setPresence(EMPTY);
    };
  }, [client, channelName]);
  return presence;
}
