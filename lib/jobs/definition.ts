import type { QueueName } from './queues';

/** What a handler knows of the attempt it runs: pg-boss retries a failure while retryCount < retryLimit. */
export type JobAttempt = { id: string; retryCount: number; retryLimit: number };

/** A kind of job the worker runs: every job of `queue` goes to `run`, which throws to fail the attempt. */
export type JobDefinition = {
  queue: QueueName;
  run(data: unknown, attempt: JobAttempt): Promise<void>;
};

/**
 * A failure that no retry can fix (data that does not parse, a message that no longer exists): the job fails
 * for good at once instead of spending its retries.
 */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export const isFinalAttempt = (attempt: JobAttempt, error: unknown) =>
  error instanceof PermanentJobError || attempt.retryCount >= attempt.retryLimit;
