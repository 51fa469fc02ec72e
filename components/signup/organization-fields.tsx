'use client';

import { useState } from 'react';
import { Field } from '@/components/ui/field';
import { suggestSlug } from '@/lib/tenant/slugs';
import { NAME_MAX_LENGTH } from '@/lib/text/names';
import { useSlugAvailability } from './use-slug-availability';

// No maxLength: browsers cut a longer paste short without a word, and the server says what is wrong.
export const NAME_HINT = `Up to ${NAME_MAX_LENGTH} characters.`;

/**
 * A new organization's name and subdomain: the subdomain follows the name until edited, and says as it is
 * typed whether it is free. Sign-up and the switcher's "New organization" share it.
 */
export function OrganizationFields({
  rootDomain,
  errors,
  clearError,
  autoFocus,
}: {
  rootDomain: string;
  errors: Record<string, string>;
  clearError: (field: string) => void;
  autoFocus?: boolean;
}) {
  const [organizationName, setOrganizationName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const availability = useSlugAvailability(slug);

  const slugError =
    availability.state === 'unavailable' ? availability.message : (errors.slug ?? undefined);
  const slugHint =
    availability.state === 'available' ? (
      <span className="font-medium text-emerald-700">✓ {availability.message}</span>
    ) : availability.state === 'checking' ? (
      'Checking availability…'
    ) : (
      `Your organization will live at ${slug || 'your-team'}.${rootDomain}`
    );

  return (
    <>
      <Field
        label="Organization name"
        name="organizationName"
        autoComplete="organization"
        autoFocus={autoFocus}
        required
        value={organizationName}
        error={errors.organizationName}
        hint={NAME_HINT}
        onChange={(e) => {
          setOrganizationName(e.target.value);
          clearError('organizationName');
          if (!slugEdited) setSlug(suggestSlug(e.target.value));
        }}
      />
      <Field
        label="Subdomain"
        name="slug"
        required
        autoCapitalize="none"
        spellCheck={false}
        value={slug}
        suffix={`.${rootDomain}`}
        error={slugError}
        hint={slugHint}
        onChange={(e) => {
          setSlugEdited(true);
          setSlug(e.target.value.toLowerCase());
          clearError('slug');
        }}
      />
    </>
  );
}
