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

/**
 * Calls `onEvent` for each event on the tenant's data channel, once per event id: direct publishing and
 * retries can deliver an event twice.
 */
export function useTenantEvents(
  tenantId: string,
  onEvent: (name: string, data: { id: string } & Record<string, unknown>) => void,
) {
  const client = useContext(RealtimeContext);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!client) return;
    const seen = new Set<string>();
    const channel = client.subscribe(`private-tenant-${tenantId}`);
    const listener = (name: string, data: unknown) => {
      if (name.startsWith('pusher:') || typeof data !== 'object' || data === null) return;
      const event = data as { id: string } & Record<string, unknown>;
      if (seen.has(event.id)) return;
      seen.add(event.id);
      handler.current(name, event);
    };
    channel.bind_global(listener);
    return () => {
      channel.unbind_global(listener);
      client.unsubscribe(channel.name);
    };
  }, [client, tenantId]);
}
