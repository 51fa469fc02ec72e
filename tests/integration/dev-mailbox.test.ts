import { afterEach, describe, expect, it, vi } from 'vitest';

/** The mailbox with the environment as it is now: each module copy reads the configuration once. */
async function loadMailbox() {
  vi.resetModules();
  const { listCapturedMail } = await import('@/lib/mail/mailbox');
  const { sendMail } = await import('@/lib/mail/send');
  return { listCapturedMail, sendMail };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the development mailbox (/dev/mailbox)', () => {
  it('lists captured mail while no SMTP server is configured', async () => {
    const { listCapturedMail, sendMail } = await loadMailbox();
    const subject = `Captured ${crypto.randomUUID()}`;
    await sendMail({
      to: 'someone@example.com',
      subject,
      text: 'Reset: http://x.test/r?token=t',
      html: '<p>Reset</p>',
    });
    expect((await listCapturedMail())?.map((m) => m.subject)).toContain(subject);
  });

  it('shows nothing, not even mail captured earlier, wherever mail is really sent', async () => {
    const { sendMail } = await loadMailbox();
    await sendMail({
      to: 'someone@example.com',
      subject: 'Captured before',
      text: 'secret',
      html: '<p>secret</p>',
    });
    vi.stubEnv('SMTP_URL', 'smtp://user:pw@127.0.0.1:2525');
    const { listCapturedMail } = await loadMailbox();
    expect(await listCapturedMail()).toBeNull();
  });
});
