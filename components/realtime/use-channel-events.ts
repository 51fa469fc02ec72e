'use client';

import type Pusher from 'pusher-js';
import type { Channel } from 'pusher-js';
import { useEffect, useRef, useState } from 'react';
import { createEventDeduper } from '@/lib/realtime/event-filter';
import { useRealtimeClient } from './realtime-provider';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type TenantEvent = { id: string } & Record<string, unknown>;

/**
 * Several components of a page listen to the same channel (the board and the shell's membership watcher):
 * pusher-js holds one subscription per name, so the last of them to go unsubscribes, not the first.
 */
const holders = new WeakMap<Pusher, Map<string, number>>();

function hold(client: Pusher, name: string): Channel {
  const counts = holders.get(client) ?? new Map<string, number>();
  holders.set(client, counts);
  counts.set(name, (counts.get(name) ?? 0) + 1);
  return client.subscribe(name);
}

function release(client: Pusher, name: string) {
  const counts = holders.get(client);
  const left = (counts?.get(name) ?? 1) - 1;
  if (left > 0) {
    counts?.set(name, left);
    return;
  }
  counts?.delete(name);
  client.unsubscribe(name);
}

/**
 * Calls `onEvent` for each event on `channelName` (null: none), once per event id: direct publishing and the
 * outbox sweeper can deliver an event twice. After a connection comes back, `onResync` runs so the page
 * refetches what it missed while offline. Returns whether updates are flowing, for the page to show.
 */
export function useChannelEvents(
  channelName: string | null,
  onEvent: (name: string, data: TenantEvent) => void,
  onResync?: () => void,
): LiveState {
  const client = useRealtimeClient();
  const handlers = useRef({ onEvent, onResync });
  handlers.current = { onEvent, onResync };
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!client || !channelName) return;
    const firstDelivery = createEventDeduper();
    let wasLive = false;
    const channel = hold(client, channelName);
    const onSubscribed = () => {
      if (wasLive) handlers.current.onResync?.();
      wasLive = true;
      setState('live');
    };
    const onSubscriptionError = () => setState('offline');
    channel.bind('pusher:subscription_succeeded', onSubscribed);
    channel.bind('pusher:subscription_error', onSubscriptionError);
    // Another component may have subscribed already: its success was announced before this one listened.
    if (channel.subscribed) onSubscribed();
    const onConnection = ({ current }: { current: string }) => {
      if (current === 'connected') setState(channel.subscribed ? 'live' : 'connecting');
      else if (current === 'unavailable' || current === 'failed') setState('offline');
      else setState(wasLive ? 'reconnecting' : 'connecting');
    };
    client.connection.bind('state_change', onConnection);
    const listener = (name: string, data: unknown) => {
      if (name.startsWith('pusher:') || typeof data !== 'object' || data === null) return;
      const event = data as TenantEvent;
      if (!firstDelivery(event.id)) return;
      handlers.current.onEvent(name, event);
    };
    channel.bind_global(listener);
    return () => {
      client.connection.unbind('state_change', onConnection);
      channel.unbind('pusher:subscription_succeeded', onSubscribed);
      channel.unbind('pusher:subscription_error', onSubscriptionError);
      channel.unbind_global(listener);
      release(client, channelName);
    };
  }, [client, channelName]);
  return state;
}
