'use client';

import { useState } from 'react';
import { useSlugAvailability } from '@/components/signup/use-slug-availability';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { changeSubdomain } from '@/lib/organization/actions';
import { SettingFieldForm } from './section-forms';
import { SettingsForm, SettingsSection } from './settings-form';

/** General: the organization's name and its address (subdomain). */
export function GeneralSection({
  name,
  slug,
  rootDomain,
  protocol,
}: {
  name: string;
  slug: string;
  rootDomain: string;
  protocol: string;
}) {
  return (
    <SettingsSection id="organization-general" title="General">
      <div className="space-y-8">
        <SettingFieldForm
          submitLabel="Save name"
          label="Organization name"
          name="name"
          defaultValue={name}
          autoComplete="organization"
          maxLength={60}
        />
        <SubdomainForm slug={slug} rootDomain={rootDomain} protocol={protocol} />
      </div>
    </SettingsSection>
  );
}

function SubdomainForm({
  slug,
  rootDomain,
  protocol,
}: {
  slug: string;
  rootDomain: string;
  protocol: string;
}) {
  const [typed, setTyped] = useState(slug);
  const next = typed.trim().toLowerCase();
  const changed = next !== slug;
  const availability = useSlugAvailability(changed ? next : '');
  const hint =
    availability.state === 'available' || availability.state === 'unavailable'
      ? availability.message
      : availability.state === 'checking'
        ? 'Checking…'
        : 'Lowercase letters, digits and hyphens.';
  return (
    <SettingsForm
      action={changeSubdomain}
      submitLabel="Change subdomain"
      savedMessage="Moving you to the new address…"
      // Cookies are host-only: the new address signs this browser in through a single-use link.
      onSaved={(data) => window.location.assign(data.redirectTo)}
      leavesPage
    >
      {({ errors }) => (
        <>
          <Field
            label="Subdomain"
            name="slug"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoCapitalize="none"
            spellCheck={false}
            suffix={`.${rootDomain}`}
            hint={hint}
            error={errors.slug}
          />
          <p className="text-sm text-slate-700">
            New address:{' '}
            <span className="font-medium text-slate-900">
              {`${protocol}//${next || '…'}.${rootDomain}`}
            </span>
          </p>
          {changed && (
            <Alert tone="info">
              {`${protocol}//${slug}.${rootDomain}`} will redirect to the new address for 30 days;
              after that, another organization may take it. Update links and bookmarks you have
              shared. Everyone stays signed in.
            </Alert>
          )}
        </>
      )}
    </SettingsForm>
  );
}
