'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { unwrap } from '@/lib/actions/unwrap';
import { TOO_LARGE_MESSAGE } from '@/lib/http/limits';
import { accentPalette } from '@/lib/organization/accent';
import { removeLogo, uploadLogo } from '@/lib/organization/actions';
import { LOGO_MAX_BYTES } from '@/lib/organization/schemas';
import { OrganizationSettingsForm } from './section-forms';
import { SettingsForm, SettingsSection, useSettingsVersion } from './settings-form';

const TOO_LARGE = `Choose an image of at most ${LOGO_MAX_BYTES / 1024} KB.`;
const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

/** Branding: the logo in the shell and on the sign-in page, and the accent colour of the shell. */
export function BrandingSection({
  logoUrl,
  accentColor,
}: {
  logoUrl: string | null;
  accentColor: string | null;
}) {
  return (
    <SettingsSection id="organization-branding" title="Branding">
      <div className="space-y-8">
        <LogoForm logoUrl={logoUrl} />
        <AccentForm accentColor={accentColor} />
      </div>
    </SettingsSection>
  );
}

function LogoForm({ logoUrl }: { logoUrl: string | null }) {
  const [preview, setPreview] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);
  return (
    <div className="space-y-4">
      <SettingsForm
        action={uploadLogo}
        submitLabel="Upload logo"
        savedMessage="Logo saved."
        onSaved={() => setPreview(null)}
        // The server in front refuses a body over 1 MB before the action runs; it is this field's problem.
        hideFailure={(failure) => failure.code === 'too_large'}
      >
        {({ errors, failure }) => (
          <div className="flex items-start gap-5">
            <LogoPreview src={preview ?? logoUrl} />
            <Field
              label="Logo"
              name="logo"
              type="file"
              accept={LOGO_TYPES.join(',')}
              className="flex-1"
              hint="PNG, JPEG or WebP, at most 256 KB. Square images look best."
              error={
                localError ??
                errors.logo ??
                (failure?.code === 'too_large' || failure?.message === TOO_LARGE_MESSAGE
                  ? TOO_LARGE
                  : undefined)
              }
              onChange={(event) => {
                const file = event.target.files?.[0];
                setLocalError(
                  file && file.size > LOGO_MAX_BYTES
                    ? `${TOO_LARGE} This one is ${Math.ceil(file.size / 1024)} KB.`
                    : null,
                );
                setPreview(
                  file && LOGO_TYPES.includes(file.type) ? URL.createObjectURL(file) : null,
                );
              }}
            />
          </div>
        )}
      </SettingsForm>
      {logoUrl && <RemoveLogoButton />}
    </div>
  );
}

function LogoPreview({ src }: { src: string | null }) {
  return (
    <div className="grid size-16 shrink-0 place-items-center overflow-hidden rounded-lg bg-slate-50 ring-1 ring-slate-200">
      {src ? (
        // biome-ignore lint/performance/noImgElement: a blob: preview or a small logo of our own, no optimizer.
        <img src={src} alt="Logo preview" className="size-full object-contain" />
      ) : (
        <span className="text-xs text-slate-400">No logo</span>
      )}
    </div>
  );
}

function RemoveLogoButton() {
  const router = useRouter();
  const { version, setVersion } = useSettingsVersion();
  const remove = useMutation({
    mutationFn: () => unwrap(removeLogo({ version })),
    onSuccess: (data) => {
      setVersion(data.version);
      router.refresh();
    },
  });
  return (
    <div className="space-y-2">
      {remove.error && <Alert>{remove.error.message}</Alert>}
      <Button
        variant="danger"
        type="button"
        pending={remove.isPending}
        onClick={() => remove.mutate()}
      >
        Remove logo
      </Button>
    </div>
  );
}

function AccentForm({ accentColor }: { accentColor: string | null }) {
  const [value, setValue] = useState(accentColor ?? '');
  const valid = /^#[0-9a-fA-F]{6}$/.test(value.trim());
  const shown = valid ? accentPalette(value.trim().toLowerCase())['600'] : null;
  return (
    <OrganizationSettingsForm submitLabel="Save colour">
      {({ errors }) => (
        <div className="space-y-3">
          <div className="flex items-end gap-3">
            <input
              type="color"
              aria-label="Pick the accent colour"
              value={valid ? value.trim().toLowerCase() : '#4f46e5'}
              onChange={(event) => setValue(event.target.value)}
              className="h-10 w-12 cursor-pointer rounded-md bg-white ring-1 ring-slate-300"
            />
            <Field
              label="Accent colour"
              name="accentColor"
              value={value}
              onChange={(event) => setValue(event.target.value)}
              placeholder="#4f46e5"
              className="flex-1"
              hint="Leave empty for the default. Used for buttons and highlights in the menu."
              error={errors.accentColor}
            />
          </div>
          {shown && (
            <p className="flex items-center gap-2 text-sm text-slate-700">
              <span
                aria-hidden
                className="inline-block rounded px-2 py-1 text-xs font-semibold text-white"
                style={{ backgroundColor: shown }}
              >
                Button
              </span>
              {shown !== value.trim().toLowerCase()
                ? `Darkened to ${shown} so white text on it stays readable.`
                : 'Readable with white text.'}
            </p>
          )}
        </div>
      )}
    </OrganizationSettingsForm>
  );
}
