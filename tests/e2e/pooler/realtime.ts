import type PusherClient from 'pusher-js';
import { removeTask, upsertTask } from '@/components/board/board-state';
import { createEventDeduper } from '@/lib/realtime/event-filter';
import type { Board, TaskCard } from '@/lib/tasks/queries';
import { pusherClient, subscribe } from '../../../scripts/bench/pusher-clients';
import { call, json } from './http';
import type { AppProcess, PoolerStack } from './stack';

/**
 * A board as a browser tab holds it: pusher-js on the tenant's channel, authorized by one app process's
 * /api/pusher/auth with the member's session, applying each event through the browser's own dedupe
 * (createEventDeduper, as useTenantEvents) and board merge (upsertTask / removeTask, as useBoard).
 */
export type BoardClient = {
  board: Board;
  /** Deliveries per event id, duplicates included. */
  delivered: Map<string, number>;
  /** Applications per event id, after the dedupe: each must be exactly 1. */
  applied: Map<string, number>;
  close(): void;
};

export async function openBoardClient(
  stack: PoolerStack,
  through: AppProcess,
  org: { host: string; cookie: string; tenantId: string; projectId: string },
): Promise<BoardClient> {
  const authorize = async (socketId: string, channelName: string) =>
    json<{ auth: string }>(
      await call(through, org.host, '/api/pusher/auth', {
        method: 'POST',
        cookie: org.cookie,
        form: { socket_id: socketId, channel_name: channelName },
      }),
    );
  const client: PusherClient = pusherClient(stack.realtime.key, stack.realtime.port, authorize);
  const firstDelivery = createEventDeduper();
  const deleted = new Set<string>();
  const delivered = new Map<string, number>();
  const applied = new Map<string, number>();
  const state = {
    board: undefined as Board | undefined,
    delivered,
    applied,
    close: () => client.disconnect(),
  };
  type Event = { id: string; task?: TaskCard; taskId?: string };
  const apply = (name: string, event: Event) => {
    if (name === 'task.deleted' && event.taskId) {
      deleted.add(event.taskId);
      state.board = removeTask(state.board!, event.taskId);
    } else if (event.task) {
      state.board = upsertTask(state.board!, event.task, deleted);
    }
  };
  // Events that arrive before the board does wait for it, as the browser's cache update would.
  const early: [string, Event][] = [];
  try {
    const channel = await subscribe(client, `private-tenant-${org.tenantId}`);
    channel.bind_global((name: string, data: unknown) => {
      if (name.startsWith('pusher:') || typeof data !== 'object' || data === null) return;
      const event = data as Event;
      delivered.set(event.id, (delivered.get(event.id) ?? 0) + 1);
      if (!firstDelivery(event.id)) return;
      applied.set(event.id, (applied.get(event.id) ?? 0) + 1);
      if (state.board) apply(name, event);
      else early.push([name, event]);
    });
    // Read after subscribing: no event can fall between the board read and the subscription.
    state.board = json<Board>(
      await call(through, org.host, `/api/projects/${org.projectId}/board`, { cookie: org.cookie }),
    );
    for (const [name, event] of early) apply(name, event);
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return state as BoardClient;
}
