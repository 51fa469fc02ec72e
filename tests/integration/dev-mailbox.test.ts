import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** The mailbox and the capture transport with the environment as it is now: each copy reads it once. */
async function loadMailbox() {
  vi.resetModules();
  const { listCapturedMail } = await import('@/lib/mail/mailbox');
  const { deliverMail } = await import('@/lib/mail/transport');
  return { listCapturedMail, deliverMail };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the development mailbox (/dev/mailbox)', () => {
  it('lists captured mail while no SMTP server is configured', async () => {
    const { listCapturedMail, deliverMail } = await loadMailbox();
    const subject = `Captured ${randomUUID()}`;
    await deliverMail({
      id: randomUUID(),
      to: 'someone@example.com',
      subject,
      text: 'Reset: http://x.test/r?token=t',
      html: '<p>Reset</p>',
    });
    expect((await listCapturedMail())?.map((m) => m.subject)).toContain(subject);
  });

  it('keeps a message delivered twice once', async () => {
    const { listCapturedMail, deliverMail } = await loadMailbox();
    const message = {
      id: randomUUID(),
      to: 'someone@example.com',
      subject: `Twice ${randomUUID()}`,
      text: 'Hello',
    };
    await deliverMail(message);
    await deliverMail(message);
    const captured = (await listCapturedMail())?.filter((m) => m.subject === message.subject);
    expect(captured).toHaveLength(1);
  });

  it('shows nothing, not even mail captured earlier, wherever mail is really sent', async () => {
    const { deliverMail } = await loadMailbox();
    await deliverMail({
      id: randomUUID(),
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
