'use client';

import { tenantDataChannel } from '@/lib/realtime/channels';
import { type LiveState, type TenantEvent, useChannelEvents } from './use-channel-events';

export type { LiveState, TenantEvent };

/** `useChannelEvents` on the tenant's data channel: every member's board, projects and member events. */
export function useTenantEvents(
  tenantId: string,
  onEvent: (name: string, data: TenantEvent) => void,
  onResync?: () => void,
): LiveState {
  return useChannelEvents(tenantDataChannel(tenantId), onEvent, onResync);
}
