'use client';

import Link from 'next/link';
import type { AuditRetentionChoice } from '@/lib/organization/schemas';
import { SelectField, TextareaField } from './fields';
import { SettingFieldForm, SettingsSectionForm } from './section-forms';
import { SettingsSection } from './settings-form';

/** Joining: the role people get without a choice made for them, and who may join without an invitation. */
export function JoiningSection({
  defaultRole,
  allowedEmailDomains,
  ownDomain,
}: {
  defaultRole: string;
  allowedEmailDomains: string[];
  ownDomain: string | null;
}) {
  return (
    <SettingsSectionForm
      id="organization-joining"
      title="Joining"
      description="People with a confirmed address at an allowed domain can join from the sign-in page without an invitation, with the default role."
      submitLabel="Save joining rules"
    >
      {({ errors }) => (
        <>
          <SelectField
            label="Default role"
            name="defaultRole"
            defaultValue={defaultRole}
            hint="Proposed for invitations, and given to people who join by their email domain."
            error={errors.defaultRole}
          >
            <option value="admin">Admin</option>
            <option value="member">Member</option>
            <option value="viewer">Viewer</option>
          </SelectField>
          <TextareaField
            label="Allowed email domains"
            name="allowedEmailDomains"
            rows={3}
            defaultValue={allowedEmailDomains.join('\n')}
            placeholder={ownDomain ?? 'example.com'}
            hint={
              ownDomain
                ? `One per line. You can add ${ownDomain}, the domain of your confirmed address; public mail providers are never allowed.`
                : 'One per line. Confirm your own email address first: you can add only its domain.'
            }
            error={errors.allowedEmailDomains}
          />
        </>
      )}
    </SettingsSectionForm>
  );
}

/** Security: how long an unused session lasts, and (on the Security page) the two-factor requirement. */
export function SecuritySection({
  sessionIdleDays,
  requireTwoFactor,
}: {
  sessionIdleDays: number;
  requireTwoFactor: boolean;
}) {
  return (
    <SettingsSection id="organization-security" title="Security">
      <div className="space-y-6">
        <SettingFieldForm
          submitLabel="Save timeout"
          label="Sign out after inactivity (days)"
          name="sessionIdleDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={30}
          defaultValue={sessionIdleDays}
          className="max-w-48"
          hint="1 to 30 days. A session unused for this long ends; it applies at once."
        />
        <p className="text-sm text-slate-700">
          Two-factor authentication is{' '}
          <strong>{requireTwoFactor ? 'required' : 'not required'}</strong> of every member.{' '}
          <Link
            href="/settings/security"
            className="font-semibold text-brand-600 hover:text-brand-700"
          >
            Change it on the Security page
          </Link>
          .
        </p>
      </div>
    </SettingsSection>
  );
}

const RETENTION_CHOICES: { value: AuditRetentionChoice; label: string }[] = [
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'forever', label: 'Forever' },
];

/** Audit: how long the audit log keeps its entries. */
export function AuditSection({ auditRetention }: { auditRetention: AuditRetentionChoice }) {
  return (
    <SettingsSectionForm
      id="organization-audit"
      title="Audit log"
      description="Entries older than this are deleted daily. Shortening it deletes older entries at the next run."
      submitLabel="Save retention"
    >
      {({ errors }) => (
        <fieldset aria-describedby={errors.auditRetention ? 'audit-retention-error' : undefined}>
          <legend className="text-sm font-medium text-slate-800">Keep audit entries for</legend>
          <div className="mt-2 flex flex-wrap gap-4">
            {RETENTION_CHOICES.map((choice) => (
              <label key={choice.value} className="flex items-center gap-2 text-sm text-slate-800">
                <input
                  type="radio"
                  name="auditRetention"
                  value={choice.value}
                  defaultChecked={auditRetention === choice.value}
                  className="accent-brand-600"
                />
                {choice.label}
              </label>
            ))}
          </div>
          {errors.auditRetention && (
            <p id="audit-retention-error" className="mt-1.5 text-xs font-medium text-red-600">
              {errors.auditRetention}
            </p>
          )}
        </fieldset>
      )}
    </SettingsSectionForm>
  );
}
