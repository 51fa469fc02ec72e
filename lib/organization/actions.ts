'use server';

import { eq, sql } from 'drizzle-orm';
import { tenantLogos, tenantSlugRedirects, tenants } from '@/db/schema';
import { tenantAction } from '@/lib/actions/tenant-action';
import { auditChanges } from '@/lib/audit/record';
import { issueHandoffToken } from '@/lib/auth/handoff';
import { getEnv } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { uniqueViolation } from '@/lib/errors/postgres';
import { tenantOrigin } from '@/lib/tenant/host';
import { forgetTenantHost } from '@/lib/tenant/resolve';
import { assertDomainsAllowed } from './domains';
import { sniffLogoType } from './logo-type';
import { logoUrlOf } from './logo-url';
import { lockSettingsAt, nextVersion, type OrganizationSettings } from './queries';
import {
  AUDIT_RETENTION,
  changeSubdomainSchema,
  LOGO_MAX_BYTES,
  organizationSettingsSchema,
  removeLogoSchema,
  uploadLogoSchema,
} from './schemas';

/** How long a former subdomain keeps redirecting to the new one before anyone may take it. */
const REDIRECT_DAYS = 30;
const FIX_FIELDS = 'Please correct the highlighted fields.';

const fieldError = (field: string, message: string) =>
  new AppError('invalid', FIX_FIELDS, { fieldErrors: { [field]: message } });

const organizationTarget = (tenantId: string) => ({ targetType: 'tenant', targetId: tenantId });

/**
 * The settings an owner changes from a form section (name, accent colour, joining, security, audit
 * retention): only the fields sent change, at the version the form saw, and the audit entry holds each
 * changed field as it was and as it became.
 */
export const updateOrganizationSettings = tenantAction(
  { schema: organizationSettingsSchema, permission: 'organization:manage' },
  async ({ version, auditRetention, ...fields }, { tx, member }) => {
    const tenantId = member.tenant.id;
    const before = await lockSettingsAt(tx, tenantId, version);
    if (fields.allowedEmailDomains) {
      await assertDomainsAllowed(tx, {
        userId: member.userId,
        before: before.allowedEmailDomains,
        after: fields.allowedEmailDomains,
      });
    }
    const [updated] = await tx
      .update(tenants)
      .set({
        ...fields,
        ...(auditRetention ? { auditRetentionDays: AUDIT_RETENTION[auditRetention] } : {}),
        version: nextVersion,
        updatedAt: sql`now()`,
      })
      .where(eq(tenants.id, tenantId))
      .returning({ version: tenants.version });
    const changes = auditChanges<Partial<OrganizationSettings>>(before, {
      ...fields,
      auditRetention,
    });
    // A new name alone is a rename in the audit log's words; anything else a change of settings.
    const renamedOnly = Object.keys(changes.after).join() === 'name';
    return {
      data: { version: updated!.version },
      audit: {
        action: renamedOnly ? 'organization.renamed' : 'organization.settings_changed',
        ...organizationTarget(tenantId),
        ...changes,
      },
      afterCommit: async () => forgetTenantHost(member.tenant.slug),
    };
  },
);

/** The new subdomain's handoff link, so the owner who renamed lands signed in on it (cookies are host-only). */
async function handoffToNewHost(
  tx: Parameters<typeof issueHandoffToken>[0],
  member: { tenant: { id: string }; userId: string; sessionId: string },
  slug: string,
) {
  const token = await issueHandoffToken(tx, member.tenant.id, member.userId, {
    sourceSessionId: member.sessionId,
  });
  const env = getEnv();
  const url = new URL('/auth/handoff', tenantOrigin(slug, env.rootDomain, env.protocol));
  url.searchParams.set('token', token);
  url.searchParams.set('next', '/settings/organization');
  return url.toString();
}

const SLUG_TAKEN = 'This subdomain is taken. Please choose another.';

/**
 * Moves the organization to a new subdomain. The old one redirects for 30 days and is then free; taking back
 * a former subdomain of one's own ends its redirect. Whether a slug is free is decided in the database (the
 * slug claim trigger, migration org_settings_slug_claims_and_account_deletion), which sees every organization's slugs and redirects and lets one claim
 * of a slug through at a time.
 */
export const changeSubdomain = tenantAction(
  { schema: changeSubdomainSchema, permission: 'organization:manage' },
  async ({ version, slug }, { tx, member }) => {
    const tenantId = member.tenant.id;
    const before = await lockSettingsAt(tx, tenantId, version);
    if (slug === before.slug) throw fieldError('slug', 'This is already your subdomain.');
    let updated: { version: number } | undefined;
    try {
      [updated] = await tx
        .update(tenants)
        .set({ slug, version: nextVersion, updatedAt: sql`now()` })
        .where(eq(tenants.id, tenantId))
        .returning({ version: tenants.version });
      await tx.insert(tenantSlugRedirects).values({
        slug: before.slug,
        targetTenantId: tenantId,
        expiresAt: sql`now() + make_interval(days => ${REDIRECT_DAYS})`,
      });
    } catch (error) {
      if (uniqueViolation(error)) {
        throw new AppError('conflict', FIX_FIELDS, { fieldErrors: { slug: SLUG_TAKEN } });
      }
      throw error;
    }
    const redirectTo = await handoffToNewHost(tx, member, slug);
    return {
      data: { slug, version: updated!.version, redirectTo },
      audit: {
        action: 'organization.slug_changed',
        ...organizationTarget(tenantId),
        before: { slug: before.slug },
        after: { slug },
      },
      afterCommit: async () => {
        forgetTenantHost(before.slug);
        forgetTenantHost(slug);
      },
    };
  },
);

const kilobytes = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

/** A new logo: PNG, JPEG or WebP by its content (not its name or declared type), at most 256 KB. */
export const uploadLogo = tenantAction(
  { schema: uploadLogoSchema, permission: 'organization:manage' },
  async ({ version, logo }, { tx, member }) => {
    if (logo.size === 0) throw fieldError('logo', 'Choose an image file.');
    if (logo.size > LOGO_MAX_BYTES) {
      throw new AppError('too_large', FIX_FIELDS, {
        fieldErrors: {
          logo: `Choose an image of at most ${kilobytes(LOGO_MAX_BYTES)} (this one is ${kilobytes(logo.size)}).`,
        },
      });
    }
    const bytes = Buffer.from(await logo.arrayBuffer());
    const contentType = sniffLogoType(bytes);
    if (!contentType) throw fieldError('logo', 'Choose a PNG, JPEG or WebP image.');
    const tenantId = member.tenant.id;
    await lockSettingsAt(tx, tenantId, version);
    await tx
      .insert(tenantLogos)
      .values({ tenantId, contentType, bytes })
      .onConflictDoUpdate({
        target: tenantLogos.tenantId,
        set: { contentType, bytes, updatedAt: sql`now()` },
      });
    const [updated] = await tx
      .update(tenants)
      .set({ logoUpdatedAt: sql`now()`, version: nextVersion, updatedAt: sql`now()` })
      .where(eq(tenants.id, tenantId))
      .returning({ version: tenants.version, logoUpdatedAt: tenants.logoUpdatedAt });
    return {
      data: {
        version: updated!.version,
        logoUrl: logoUrlOf(updated!),
      },
      audit: {
        action: 'organization.logo_changed',
        ...organizationTarget(tenantId),
        metadata: { contentType, bytes: bytes.length },
      },
      afterCommit: async () => forgetTenantHost(member.tenant.slug),
    };
  },
);

export const removeLogo = tenantAction(
  { schema: removeLogoSchema, permission: 'organization:manage' },
  async ({ version }, { tx, member }) => {
    const tenantId = member.tenant.id;
    const before = await lockSettingsAt(tx, tenantId, version);
    if (!before.logoUrl) throw new AppError('conflict', 'There is no logo to remove.');
    await tx.delete(tenantLogos).where(eq(tenantLogos.tenantId, tenantId));
    const [updated] = await tx
      .update(tenants)
      .set({ logoUpdatedAt: null, version: nextVersion, updatedAt: sql`now()` })
      .where(eq(tenants.id, tenantId))
      .returning({ version: tenants.version });
    return {
      data: { version: updated!.version },
      audit: { action: 'organization.logo_removed', ...organizationTarget(tenantId) },
      afterCommit: async () => forgetTenantHost(member.tenant.slug),
    };
  },
);
