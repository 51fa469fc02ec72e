import Link from 'next/link';
import { NotFoundPage, primaryLinkClass } from '@/components/ui/not-found-page';

export default function NotFound() {
  return (
    <NotFoundPage
      title="Page not found"
      message="The page you are looking for does not exist or has moved."
    >
      <Link href="/" className={primaryLinkClass}>
        Go home
      </Link>
    </NotFoundPage>
  );
}
