import 'server-only';
import nodemailer, { type Transporter } from 'nodemailer';
import { mailMessages } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { getEnv } from '@/lib/config/env';
import { logger } from '@/lib/log';
import type { MailMessage } from './templates';

let transport: Transporter | undefined;

/**
 * Sends through SMTP_URL, or, without it, stores the message for the development mailbox. Called after the
 * change it reports has committed; a failure is logged and does not undo that change.
 */
export async function sendMail(message: MailMessage): Promise<void> {
  const env = getEnv();
  try {
    if (env.smtpUrl) {
      transport ??= nodemailer.createTransport(env.smtpUrl);
      await transport.sendMail({ from: env.mailFrom, ...message });
      return;
    }
    await withPlatform('mail-capture', (tx) =>
      tx.insert(mailMessages).values({
        toAddress: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? '',
      }),
    );
  } catch (error) {
    // The subject says which flow failed; the recipient and the body (which holds links) stay out of the log.
    logger().error({ err: error, subject: message.subject }, 'could not send mail');
  }
}

export function isMailCaptured() {
  return getEnv().smtpUrl === null;
}
