/**
 * Every audit action the app records, with the label the audit log shows for it: the viewer's action filter
 * and its labels come from here. A new action is added here with its label; one that is not (an older
 * entry, a name since retired) still shows, by its raw name. Names are `<noun>.<past_verb>`.
 */
export const AUDIT_ACTIONS = {
  // Organization
  'organization.created': 'Organization created',
  'organization.renamed': 'Organization renamed',
  'organization.slug_changed': 'Organization address changed',
  'organization.logo_changed': 'Organization logo changed',
  'organization.logo_removed': 'Organization logo removed',
  'organization.settings_changed': 'Organization settings changed',
  'organization.two_factor_requirement_changed': 'Two-factor requirement changed',
  'ownership.transferred': 'Ownership transferred',
  // Members and invitations
  'member.joined': 'Member joined',
  // A member who followed a join link (their address's domain is allowed) and was signed in.
  'member.signed_in_by_join_link': 'Signed in from a join link',
  'member.role_changed': 'Member role changed',
  'member.deactivated': 'Member deactivated',
  'member.reactivated': 'Member reactivated',
  'member.removed': 'Member removed',
  'member.left': 'Member left',
  'invitation.created': 'Invitation sent',
  'invitation.resent': 'Invitation resent',
  'invitation.revoked': 'Invitation revoked',
  'invitation.accepted': 'Invitation accepted',
  // Sign-in and sessions
  'session.created': 'Signed in',
  'session.sign_in_failed': 'Sign-in failed',
  'session.sign_in_locked': 'Sign-in refused (account locked)',
  'session.signed_out': 'Signed out',
  'session.revoked': 'Session signed out remotely',
  'session.revoked_others': 'Other sessions signed out',
  // Accounts
  'account.renamed': 'Name changed',
  'account.deleted': 'Account deleted',
  'user.password_changed': 'Password changed',
  'user.password_reset_requested': 'Password reset requested',
  'user.password_reset': 'Password reset',
  'user.email_change_requested': 'Email change requested',
  'user.email_changed': 'Email changed',
  'user.verification_sent': 'Email confirmation sent',
  'user.email_verified': 'Email confirmed',
  'user.reauthentication_failed': 'Password re-entry failed',
  'user.locked': 'Account locked',
  'user.unlocked': 'Account unlocked',
  'user.organizations_requested': 'Organization list mailed',
  // Two-factor authentication
  'two_factor.setup_started': 'Two-factor setup started',
  'two_factor.enabled': 'Two-factor turned on',
  'two_factor.disabled': 'Two-factor turned off',
  'two_factor.recovery_codes_regenerated': 'Recovery codes regenerated',
  'two_factor.recovery_code_used': 'Recovery code used',
  'two_factor.challenge_failed': 'Two-factor code refused',
  // Work
  'project.created': 'Project created',
  'project.renamed': 'Project renamed',
  'project.deleted': 'Project deleted',
  'task.created': 'Task created',
  'task.updated': 'Task updated',
  'task.moved': 'Task moved',
  'task.deleted': 'Task deleted',
  'comment.created': 'Comment added',
  'comment.updated': 'Comment edited',
  'comment.deleted': 'Comment deleted',
  // The audit log itself
  'audit.exported': 'Audit log exported',
} as const satisfies Record<string, string>;

export type KnownAuditAction = keyof typeof AUDIT_ACTIONS;

/** The label of an action; an action this list does not know shows as its raw name. */
export function auditActionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}

/** What an entry can be about, for the target filter. */
export const AUDIT_TARGET_TYPES = {
  tenant: 'Organization',
  user: 'User',
  membership: 'Membership',
  invitation: 'Invitation',
  session: 'Session',
  project: 'Project',
  task: 'Task',
  comment: 'Comment',
} as const satisfies Record<string, string>;

export function auditTargetLabel(targetType: string): string {
  return (AUDIT_TARGET_TYPES as Record<string, string>)[targetType] ?? targetType;
}
