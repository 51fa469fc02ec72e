'use client';

import type { ComponentProps, ReactNode } from 'react';
import { Field } from '@/components/ui/field';
import { updateOrganizationSettings } from '@/lib/organization/actions';
import { SettingsForm, type SettingsFormState, SettingsSection } from './settings-form';

/** A form that saves some of the organization's settings (the fields it holds), with the page's version. */
export function OrganizationSettingsForm({
  submitLabel,
  children,
}: {
  submitLabel: string;
  children: (state: SettingsFormState) => ReactNode;
}) {
  return (
    <SettingsForm action={updateOrganizationSettings} submitLabel={submitLabel}>
      {children}
    </SettingsForm>
  );
}

/** A form of one setting in one input: its error is the one the server gives under the input's name. */
export function SettingFieldForm({
  submitLabel,
  ...field
}: Omit<ComponentProps<typeof Field>, 'error'> & { name: string; submitLabel: string }) {
  return (
    <OrganizationSettingsForm submitLabel={submitLabel}>
      {({ errors }) => <Field {...field} error={errors[field.name]} />}
    </OrganizationSettingsForm>
  );
}

/** A section of the Organization page that is one settings form. */
export function SettingsSectionForm({
  id,
  title,
  description,
  submitLabel,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  children: (state: SettingsFormState) => ReactNode;
}) {
  return (
    <SettingsSection id={id} title={title} description={description}>
      <OrganizationSettingsForm submitLabel={submitLabel}>{children}</OrganizationSettingsForm>
    </SettingsSection>
  );
}
