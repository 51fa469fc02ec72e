import 'server-only';
import { eq } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { users } from '@/db/schema';
import { verifyPassword } from '@/lib/auth/password';
import { AppError } from '@/lib/errors/app-error';

/** Re-authentication for sensitive account changes, with the error next to the field that holds it. */
export async function assertCurrentPassword(
  tx: Transaction,
  userId: string,
  password: string,
  field = 'password',
) {
  const [me] = await tx
    .select({ hash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!(await verifyPassword(me?.hash, password))) {
    throw new AppError('invalid', 'Please correct the highlighted fields.', {
      fieldErrors: { [field]: 'This is not your current password.' },
    });
  }
}
