/**
 * A page rendered on every request, as the app's signed-in pages are, padded to `?bytes=` of text so that
 * its HTML is as long as the page it is compared with (the bench sets the figure and checks the length).
 */
export const dynamic = 'force-dynamic';

const LINE = 'Bare reference row: the framework renders this text on every request. ';

export default async function Page({ searchParams }) {
  const { bytes } = await searchParams;
  const wanted = Math.min(Math.max(Number(bytes) || 0, 0), 2_000_000);
  const rows = Array.from({ length: Math.ceil(wanted / LINE.length) }, (_, i) => `row-${i}`).map(
    (id) => <li key={id}>{LINE}</li>,
  );
  return (
    <main>
      <h1>Bare reference</h1>
      <ul>{rows}</ul>
    </main>
  );
}
