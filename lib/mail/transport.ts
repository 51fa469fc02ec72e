import 'server-only';
import type { Transporter } from 'nodemailer';
import { mailMessages } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { getEnv } from '@/lib/config/env';
import type { MailMessage } from './templates';

/** One transport per process, made by the first message sent over SMTP. */
let smtp: Promise<Transporter> | undefined;

export function isMailCaptured() {
  return getEnv().smtpUrl === null;
}

/**
 * nodemailer is loaded by the first message sent over SMTP, in the worker. The app server imports this module
 * too (through the mail job's definition, to queue mail) but never sends: loaded there, nodemailer was two
 * bundled copies of 430 KB of source each in its live heap.
 */
async function smtpTransport(url: string): Promise<Transporter> {
  const [{ default: nodemailer }, { default: SMTPTransport }] = await Promise.all([
    import('nodemailer'),
    // The file itself: Node's ES module resolution (the compiled worker) does not complete a directory import.
    import('nodemailer/lib/smtp-transport/index.js'),
  ]);
  // Bounded well within the mail queue's 60 s (lib/jobs/queues.ts): nodemailer's defaults wait minutes.
  return nodemailer.createTransport(
    new SMTPTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    }),
  );
}

/**
 * Hands one message over: to SMTP_URL's server, or, without one, to the development mailbox. The message's
 * id makes both repeatable. Captured mail is kept once per id, whatever the number of attempts. SMTP gets a
 * Message-ID built from it, the same on every attempt. The mail job runs this only while the message is not
 * marked sent, and marks it in the same transaction right after; the one window left is between the
 * server's acceptance and that commit (the worker dies there): SMTP has no way to ask whether a message
 * arrived, so the retry sends it again, and mail clients that fold duplicates by Message-ID show it once.
 * A duplicate reset notice is the price of never losing one.
 */
export async function deliverMail(message: MailMessage & { id: string }): Promise<void> {
  const env = getEnv();
  if (env.smtpUrl) {
    smtp ??= smtpTransport(env.smtpUrl);
    const transport = await smtp;
    await transport.sendMail({
      from: env.mailFrom,
      messageId: `<${message.id}@${env.rootDomain.split(':')[0]}>`,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    return;
  }
  await withPlatform('mail-capture', (tx) =>
    tx
      .insert(mailMessages)
      .values({
        messageId: message.id,
        toAddress: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? '',
      })
      .onConflictDoNothing({ target: mailMessages.messageId }),
  );
}
