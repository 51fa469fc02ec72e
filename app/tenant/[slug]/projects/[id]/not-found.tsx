import Link from 'next/link';
import { Card, Logo } from '@/components/ui/card';

/** A project that does not exist here, was deleted, or belongs to another organization: all look the same. */
export default function ProjectNotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4">
      <div className="mb-8">
        <Logo />
      </div>
      <Card className="w-full max-w-md p-8 text-center">
        <h1 className="text-xl font-semibold text-slate-900">This project does not exist</h1>
        <p className="mt-2 text-sm text-slate-600">
          It may have been deleted, or the link may be mistyped.
        </p>
        <Link
          href="/projects"
          className="mt-6 inline-block rounded-md bg-brand-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-brand-700"
        >
          See all projects
        </Link>
      </Card>
    </main>
  );
}
