import Link from 'next/link';
import { NotFoundPage, primaryLinkClass } from '@/components/ui/not-found-page';

/** A project that does not exist here, was deleted, or belongs to another organization: all look the same. */
export default function ProjectNotFound() {
  return (
    <NotFoundPage
      title="This project does not exist"
      message="It may have been deleted, or the link may be mistyped."
    >
      <Link href="/projects" className={primaryLinkClass}>
        See all projects
      </Link>
    </NotFoundPage>
  );
}
