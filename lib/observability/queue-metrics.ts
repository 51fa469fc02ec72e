import 'server-only';
import { collectorGauge, registerCollector } from './metrics';
import type { QueueStatsSource } from './queue-source';

/** Queue depth and failures, read from the queue's tables when scraped (one query, whatever the load). */
export function registerQueueMetrics(readStats: QueueStatsSource) {
  const jobs = collectorGauge({
    name: 'tenantry_queue_jobs',
    help: 'Jobs per queue and state: queued (due, waiting for a worker), active, failed (kept with their error)',
    labelNames: ['queue', 'state'],
  });
  const oldest = collectorGauge({
    name: 'tenantry_queue_oldest_queued_seconds',
    help: 'How long the oldest due job of each queue has waited: growing means no worker is draining it',
    labelNames: ['queue'],
  });
  registerCollector('queue', {
    gauges: [jobs, oldest],
    async collect() {
      const stats = await readStats();
      jobs.reset();
      oldest.reset();
      for (const s of stats) {
        jobs.set({ queue: s.queue, state: 'queued' }, s.queued);
        jobs.set({ queue: s.queue, state: 'active' }, s.active);
        jobs.set({ queue: s.queue, state: 'failed' }, s.failed);
        oldest.set({ queue: s.queue }, s.oldestQueuedSeconds);
      }
    },
  });
}
