import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { signOutAction } from '@/lib/auth/actions';

/** A link for one address, opened while signed in as another: say so, change nothing, offer to sign out. */
export function SignedInElsewhere({
  signedInAs,
  invited,
}: {
  signedInAs: string;
  invited: string;
}) {
  return (
    <div className="space-y-4">
      <Alert>
        You are signed in as {signedInAs}, but this link is for {invited}. Nothing was changed. To
        use it, sign out, then open the link again.
      </Alert>
      <form action={signOutAction}>
        <Button type="submit" variant="secondary" className="w-full">
          Sign out
        </Button>
      </form>
    </div>
  );
}
