/**
 * What `pusher-js` is in Next.js's server bundles (next.config.mjs). The browser's realtime client runs only
 * in effects, never while a page renders on the server, yet the server rendering of the realtime provider
 * loaded it: 144 KB of code kept in the app server's memory for good (about 0.8 MB of live heap in the
 * bench's heap snapshots). Server code publishes through lib/realtime, with the `pusher` package.
 */
export default class PusherJsOnServer {
  constructor() {
    throw new Error(
      'pusher-js is the browser’s realtime client and is not bundled for the server: publish through lib/realtime.',
    );
  }
}
