import 'server-only';
import nodemailer, { type Transporter } from 'nodemailer';
// The file itself: Node's ES module resolution (the compiled worker) does not complete a directory import.
import SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { mailMessages } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { getEnv } from '@/lib/config/env';
import type { MailMessage } from './templates';

let smtp: Transporter | undefined;

export function isMailCaptured() {
  return getEnv().smtpUrl === null;
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
    // Bounded well within the mail queue's 60 s (lib/jobs/queues.ts): nodemailer's defaults wait minutes.
    smtp ??= nodemailer.createTransport(
      new SMTPTransport({
        url: env.smtpUrl,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    );
    await smtp.sendMail({
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
