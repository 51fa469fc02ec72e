import { customType, timestamp, uuid } from 'drizzle-orm/pg-core';

export const id = () => uuid('id').notNull().defaultRandom();
export const tenantId = () => uuid('tenant_id').notNull();
export const createdAt = () =>
  timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** Binary data (drizzle has no built-in bytea); the `postgres` driver reads and writes Buffers. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});
