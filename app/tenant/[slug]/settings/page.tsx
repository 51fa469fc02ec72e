import { redirect } from 'next/navigation';
import { firstSettingsHref } from '@/components/settings/sections';
import { requireMemberOrRedirect } from '@/lib/auth/session';

/** The dashboard opens on the first section the viewer's role may see. */
export default async function SettingsPage() {
  const member = await requireMemberOrRedirect('/settings');
  redirect(firstSettingsHref(member.role));
}
