'use client';

import { useEffect, useState } from 'react';
import { useCrossHostRedirect } from '@/components/auth/use-cross-host-redirect';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { jsonFormAction } from '@/components/ui/post-json';
import { useActionForm } from '@/components/ui/use-action-form';
import { suggestSlug } from '@/lib/tenant/slugs';
import { NAME_MAX_LENGTH } from '@/lib/text/names';
import { useSlugAvailability } from './use-slug-availability';

const signUp = jsonFormAction<{ redirectTo: string }>('/api/signup');
// No maxLength: browsers cut a longer paste short without a word, and the server says what is wrong.
const NAME_HINT = `Up to ${NAME_MAX_LENGTH} characters.`;

export function SignupForm({ rootDomain }: { rootDomain: string }) {
  const { state, onSubmit, pending: submitting, errors, formError } = useActionForm(signUp);
  // Stay busy while the browser leaves for the new subdomain.
  const pending = useCrossHostRedirect(state) || submitting;
  const [organizationName, setOrganizationName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const availability = useSlugAvailability(slug);
  // The server's field errors, until the user edits the field they concern.
  const [shownErrors, setShownErrors] = useState<Record<string, string>>({});

  useEffect(() => setShownErrors(errors), [errors]);

  const clearError = (field: string) => setShownErrors(({ [field]: _, ...rest }) => rest);

  const slugError =
    availability.state === 'unavailable' ? availability.message : (shownErrors.slug ?? undefined);
  const slugHint =
    availability.state === 'available' ? (
      <span className="font-medium text-emerald-700">✓ {availability.message}</span>
    ) : availability.state === 'checking' ? (
      'Checking availability…'
    ) : (
      `Your organization will live at ${slug || 'your-team'}.${rootDomain}`
    );

  return (
    <form noValidate className="space-y-5" onSubmit={onSubmit}>
      {formError && <Alert>{formError}</Alert>}
      <Field
        label="Organization name"
        name="organizationName"
        autoComplete="organization"
        required
        value={organizationName}
        error={shownErrors.organizationName}
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
      <Field
        label="Your name"
        name="name"
        onChange={() => clearError('name')}
        autoComplete="name"
        required
        error={shownErrors.name}
        hint={NAME_HINT}
      />
      <Field
        label="Email"
        name="email"
        onChange={() => clearError('email')}
        type="email"
        autoComplete="email"
        required
        error={shownErrors.email}
      />
      <Field
        label="Password"
        name="password"
        onChange={() => clearError('password')}
        type="password"
        autoComplete="new-password"
        required
        error={shownErrors.password}
        hint="At least 12 characters. If you already have an account, use its password."
      />
      <Button type="submit" pending={pending} className="w-full">
        {pending ? 'Creating your organization…' : 'Create organization'}
      </Button>
    </form>
  );
}
