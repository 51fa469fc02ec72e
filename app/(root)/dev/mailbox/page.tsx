import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Card, Logo } from '@/components/ui/card';
import { listCapturedMail } from '@/lib/mail/mailbox';

export const metadata: Metadata = { title: 'Development mailbox' };

const URL_PATTERN = /(https?:\/\/[^\s]+)/g;

/**
 * Renders a text part with its links clickable, without trusting any HTML. The links leave no Referer, as from
 * a mail client: a link in mail text (which can quote a name someone typed) must not count as followed from
 * one of the app's own pages, which sign-in links trust (see app/tenant/[slug]/auth/handoff/route.ts).
 */
function TextWithLinks({ text }: { text: string }) {
  return (
    <p className="whitespace-pre-wrap break-words text-sm leading-6 text-slate-700">
      {text.split(URL_PATTERN).map((part, i) =>
        URL_PATTERN.test(part) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the split text never reorders
          <a key={i} href={part} rel="noreferrer" className="font-medium text-brand-600 underline">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </p>
  );
}

/** Mail captured while no SMTP server is configured; 404 wherever real mail is sent. */
export default async function DevMailboxPage() {
  const messages = await listCapturedMail();
  if (!messages) notFound();
  return (
    <main className="mx-auto max-w-3xl px-6 py-10">
      <Logo />
      <h1 className="mt-6 text-2xl font-semibold text-slate-900">Development mailbox</h1>
      <p className="mt-1 text-sm text-slate-600">
        Mail is stored here instead of being sent because no SMTP_URL is configured. Newest first.
      </p>
      {messages.length === 0 ? (
        <Card className="mt-6 p-10 text-center text-sm text-slate-600">No messages yet.</Card>
      ) : (
        <ul aria-label="Messages" className="mt-6 space-y-3">
          {messages.map((m) => (
            <li key={m.id}>
              <Card className="p-0">
                <details>
                  <summary className="cursor-pointer list-none px-5 py-4">
                    <span className="block font-medium text-slate-900">{m.subject}</span>
                    <span className="text-xs text-slate-500">
                      To {m.toAddress} · {m.createdAt.toLocaleString('en-GB', { timeZone: 'UTC' })}{' '}
                      UTC
                    </span>
                  </summary>
                  <div className="border-t border-slate-100 px-5 py-4">
                    <TextWithLinks text={m.text} />
                  </div>
                </details>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
