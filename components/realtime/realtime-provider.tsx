'use client';

import Pusher from 'pusher-js';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';

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

/** The tab's realtime connection, or null while it starts (or when realtime is not configured). */
export function useRealtimeClient(): Pusher | null {
  return useContext(RealtimeContext);
}
