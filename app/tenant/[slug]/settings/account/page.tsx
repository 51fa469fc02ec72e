import type { Metadata } from 'next';
import { ChangeEmailForm } from '@/components/account/change-email-form';
import { ChangeNameForm } from '@/components/account/change-name-form';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { DeleteAccountForm } from '@/components/account/delete-account-form';
import { SettingsFrame } from '@/components/settings/settings-frame';
import { toShellMember } from '@/components/shell/tenant-shell';
import { Card } from '@/components/ui/card';
import { requireMemberOrRedirect } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const member = await requireMemberOrRedirect('/settings/account', { accountSecurity: true });
  return (
    <SettingsFrame member={toShellMember(member)} title="Your account">
      <div className="max-w-4xl space-y-6">
        <Card className="p-6">
          <h2 className="text-base font-semibold text-slate-900">Profile</h2>
          <dl className="mt-3 mb-5 grid gap-2 text-sm sm:grid-cols-[8rem_1fr]">
            <dt className="text-slate-500">Email</dt>
            <dd className="text-slate-900">
              {member.email}{' '}
              <span className={member.emailVerified ? 'text-emerald-700' : 'text-amber-700'}>
                ({member.emailVerified ? 'confirmed' : 'not confirmed yet'})
              </span>
            </dd>
          </dl>
          <ChangeNameForm name={member.name} />
        </Card>
        <Card className="p-6">
          <h2 className="text-base font-semibold text-slate-900">Change email</h2>
          <p className="mt-1 mb-5 text-sm text-slate-600">
            We send a confirmation link to the new address; your email changes when you open it, and
            we tell the old address.
          </p>
          <ChangeEmailForm />
        </Card>
        <Card className="p-6">
          <h2 className="text-base font-semibold text-slate-900">Change password</h2>
          <p className="mt-1 mb-5 text-sm text-slate-600">
            Your password is the same in every organization you belong to. Changing it signs out
            your other sessions.
          </p>
          <ChangePasswordForm />
        </Card>
        <Card className="p-6">
          <h2 className="text-base font-semibold text-slate-900">Delete account</h2>
          <p className="mt-1 mb-5 text-sm text-slate-600">
            Your account is yours in every organization. If you are the last owner of one, make
            another member an owner there first.
          </p>
          <DeleteAccountForm email={member.email} />
        </Card>
      </div>
    </SettingsFrame>
  );
}
