/**
 * Keeps a finished page render from holding on to the renders that ran beside it (a leak under concurrent
 * load, found in the bench's heap snapshots).
 *
 * React's server renderer ends every render by aborting its cache signal with an Error, which the request's
 * state keeps. Until something reads `error.stack`, V8 keeps that stack as call-site records, and each
 * record holds its frame's receiver. One receiver is the Immediate whose callback was running: Node 20 leaves
 * an Immediate that has run linked to the rest of its batch (`_idleNext`, `_idlePrev`), and every Immediate
 * carries the async-context stores of the request that scheduled it. So one request's Error reached the
 * requests whose callbacks ran in the same batch, their Errors reached the next ones, and a single
 * long-lived object made during any request (a timer, a pooled connection) kept the whole chain alive. After
 * the bench's load that was 654 responses with their render state: 136 MB of live heap instead of 75.
 *
 * Once a signal is aborted, this reads its reason's stack. V8 then keeps the formatted string and drops the
 * records, so the reason holds nothing of the frames it was made in. It costs one stack formatting per
 * aborted signal, which a page render pays once.
 */
const RELEASED = Symbol.for('tenantry.abortReasonStacksReleased');

export function releaseAbortReasonStacks() {
  const proto = AbortController.prototype as AbortController & { [RELEASED]?: true };
  if (proto[RELEASED]) return;
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'abort');
  const abort = proto.abort;
  Object.defineProperty(proto, 'abort', {
    ...descriptor,
    value: function abortAndReleaseStack(this: AbortController, reason?: unknown) {
      abort.call(this, reason);
      const kept: unknown = this.signal.reason;
      if (kept instanceof Error) void kept.stack;
    },
  });
  Object.defineProperty(proto, RELEASED, { value: true });
}
