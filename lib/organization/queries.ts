import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { tenants, users } from '@/db/schema';
import { AppError, notFoundError } from '@/lib/errors/app-error';
import { logoUrlOf } from './logo-url';
import type { AuditRetentionChoice } from './schemas';

/** What the Organization settings page shows and its forms send back, with the version they saw. */
export type OrganizationSettings = {
  id: string;
  name: string;
  slug: string;
  accentColor: string | null;
  defaultRole: 'admin' | 'member' | 'viewer';
  allowedEmailDomains: string[];
  sessionIdleDays: number;
  auditRetention: AuditRetentionChoice;
  requireTwoFactor: boolean;
  logoUrl: string | null;
  version: number;
};

const columns = {
  id: tenants.id,
  name: tenants.name,
  slug: tenants.slug,
  accentColor: tenants.accentColor,
  defaultRole: tenants.defaultRole,
  allowedEmailDomains: tenants.allowedEmailDomains,
  sessionIdleDays: tenants.sessionIdleDays,
  auditRetentionDays: tenants.auditRetentionDays,
  requireTwoFactor: tenants.requireTwoFactor,
  logoUpdatedAt: tenants.logoUpdatedAt,
  version: tenants.version,
};

const selectSettings = (tx: Transaction, tenantId: string) =>
  tx.select(columns).from(tenants).where(eq(tenants.id, tenantId));

type Row = Awaited<ReturnType<typeof selectSettings>>[number];

const retentionChoice = (days: number | null): AuditRetentionChoice =>
  days === 90 ? '90' : days === 365 ? '365' : 'forever';

function toSettings(row: Row): OrganizationSettings {
  const { auditRetentionDays, logoUpdatedAt, ...rest } = row;
  return {
    ...rest,
    auditRetention: retentionChoice(auditRetentionDays),
    logoUrl: logoUrlOf({ logoUpdatedAt }),
  };
}

export async function getOrganizationSettings(
  tx: Transaction,
  tenantId: string,
): Promise<OrganizationSettings> {
  const [row] = await selectSettings(tx, tenantId);
  if (!row) throw notFoundError('This organization');
  return toSettings(row);
}

/**
 * The settings row locked for this transaction, at the version the form saw: a stale version is a 409 that
 * carries the settings as they are now, never a silent overwrite of another owner's change.
 */
export async function lockSettingsAt(
  tx: Transaction,
  tenantId: string,
  version: number,
): Promise<OrganizationSettings> {
  const [row] = await selectSettings(tx, tenantId).for('update');
  if (!row) throw notFoundError('This organization');
  const current = toSettings(row);
  if (current.version !== version) {
    throw new AppError(
      'conflict',
      'Another owner changed these settings while you were editing them. Review them and save again.',
      { current },
    );
  }
  return current;
}

/** The next version, set with every change to the settings. */
export const nextVersion = sql`${tenants.version} + 1`;

/** The domain of the member's own address, when they have confirmed it; null otherwise. */
export async function verifiedDomainOf(tx: Transaction, userId: string): Promise<string | null> {
  const [me] = await tx
    .select({ email: users.email, verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!me?.verifiedAt) return null;
  return me.email.split('@').pop()?.toLowerCase() ?? null;
}
