'use client';

import { useEffect, useRef, useState } from 'react';
import { createEventDeduper } from '@/lib/realtime/event-filter';
import { useRealtimeClient } from './realtime-provider';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type TenantEvent = { id: string } & Record<string, unknown>;

/**
 * Calls `onEvent` for each event on the tenant's data channel, once per event id: direct publishing and the
 * outbox sweeper can deliver an event twice. After a connection comes back, `onResync` runs so the page
 * refetches what it missed while offline. Returns whether updates are flowing, for the page to show.
 */
export function useTenantEvents(
  tenantId: string,
  onEvent: (name: string, data: TenantEvent) => void,
  onResync?: () => void,
): LiveState {
  const client = useRealtimeClient();
  const handlers = useRef({ onEvent, onResync });
  handlers.current = { onEvent, onResync };
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!client) return;
    const firstDelivery = createEventDeduper();
    let wasLive = false;
    const channel = client.subscribe(`private-tenant-${tenantId}`);
    channel.bind('pusher:subscription_succeeded', () => {
      if (wasLive) handlers.current.onResync?.();
      wasLive = true;
      setState('live');
    });
    channel.bind('pusher:subscription_error', () => setState('offline'));
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
      channel.unbind_global(listener);
      client.unsubscribe(channel.name);
    };
  }, [client, tenantId]);
  return state;
}
