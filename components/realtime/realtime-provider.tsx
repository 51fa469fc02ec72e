'use client';

import Pusher from 'pusher-js';
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';

/** What the browser needs to connect: the public key and the server's address, never the secret. */
export type PublicRealtimeConfig = {
  key: string;
  cluster: string;
  wsHost?: string;
  wsPort?: number;
  forceTLS: boolean;
};

const RealtimeContext = createContext<Pusher | null>(null);

/** One connection per tab, authorized by this host's session at /api/pusher/auth. */
export function RealtimeProvider({
  config,
  children,
}: {
  config: PublicRealtimeConfig | null;
  children: ReactNode;
}) {
  const [client, setClient] = useState<Pusher | null>(null);
  // By value: a refresh re-renders the layout with an equal but new object, which must not reconnect.
  const settings = config ? JSON.stringify(config) : null;
  useEffect(() => {
    if (!settings) return;
    const config = JSON.parse(settings) as PublicRealtimeConfig;
    const pusher = new Pusher(config.key, {
      cluster: config.cluster,
      wsHost: config.wsHost,
      wsPort: config.wsPort,
      wssPort: config.wsPort,
      forceTLS: config.forceTLS,
      enabledTransports: ['ws', 'wss'],
      disableStats: true,
      channelAuthorization: { endpoint: '/api/pusher/auth', transport: 'ajax' },
      userAuthentication: { endpoint: '/api/pusher/user-auth', transport: 'ajax' },
    });
    pusher.signin();
    setClient(pusher);
    return () => pusher.disconnect();
  }, [settings]);
  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>;
}

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Calls `onEvent` for each event on the tenant's data channel, once per event id: direct publishing and
 * retries can deliver an event twice. Returns whether updates are flowing, for the page to show.
 */
export function useTenantEvents(
  tenantId: string,
  onEvent: (name: string, data: { id: string } & Record<string, unknown>) => void,
): LiveState {
  const client = useContext(RealtimeContext);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!client) return;
    const seen = new Set<string>();
    const channel = client.subscribe(`private-tenant-${tenantId}`);
    channel.bind('pusher:subscription_succeeded', () => setState('live'));
    channel.bind('pusher:subscription_error', () => setState('offline'));
    const onConnection = ({ current }: { current: string }) => {
      if (current === 'connected') setState(channel.subscribed ? 'live' : 'connecting');
      else setState(current === 'unavailable' || current === 'failed' ? 'offline' : 'connecting');
    };
    client.connection.bind('state_change', onConnection);
    const listener = (name: string, data: unknown) => {
      if (name.startsWith('pusher:') || typeof data !== 'object' || data === null) return;
      const event = data as { id: string } & Record<string, unknown>;
      if (seen.has(event.id)) return;
      seen.add(event.id);
      handler.current(name, event);
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

const LIVE_LABELS: Record<LiveState, { text: string; dot: string }> = {
  live: { text: 'Live', dot: 'bg-emerald-500' },
  connecting: { text: 'Connecting…', dot: 'bg-amber-400' },
  offline: { text: 'Offline: refresh to see others’ changes', dot: 'bg-slate-400' },
};

export function LiveIndicator({ state }: { state: LiveState }) {
  const label = LIVE_LABELS[state];
  return (
    <span
      role="status"
      aria-label={`Live updates: ${label.text}`}
      className="inline-flex items-center gap-1.5 text-xs text-slate-500"
    >
      <span aria-hidden className={`size-2 rounded-full ${label.dot}`} />
      {label.text}
    </span>
  );
}
