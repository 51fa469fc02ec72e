import Link from 'next/link';
import { Logo } from '@/components/ui/card';

export default function LandingPage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-5xl flex-col px-6">
      <header className="flex items-center justify-between py-6">
        <Logo />
        <nav className="flex items-center gap-3 text-sm font-medium">
          <Link href="/login" className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100">
            Sign in
          </Link>
          <Link
            href="/signup"
            className="rounded-md bg-brand-600 px-3.5 py-2 text-white shadow-sm hover:bg-brand-700"
          >
            Create an organization
          </Link>
        </nav>
      </header>
      <section className="flex flex-1 flex-col items-start justify-center gap-6 pb-24">
        <p className="rounded-full bg-brand-50 px-3 py-1 text-xs font-semibold text-brand-700 ring-1 ring-brand-100">
          Isolation is the product
        </p>
        <h1 className="max-w-3xl text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
          A workspace of your own, on your own subdomain.
        </h1>
        <p className="max-w-2xl text-lg leading-8 text-slate-600">
          Every organization gets its own address and its own data, kept apart by the application
          and by the database itself. Sign up in seconds and invite your team.
        </p>
        <div className="flex gap-3">
          <Link
            href="/signup"
            className="rounded-md bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
          >
            Get started
          </Link>
          <Link
            href="/login"
            className="rounded-md px-4 py-2.5 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-white"
          >
            Find my organization
          </Link>
        </div>
      </section>
    </main>
  );
}
