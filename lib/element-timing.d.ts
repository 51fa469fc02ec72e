import 'react';

declare module 'react' {
  interface HTMLAttributes<T> {
    /**
     * Element Timing (https://w3c.github.io/element-timing/): the browser records when the element was first
     * painted, as a PerformanceElementTiming entry under this name.
     */
    elementtiming?: string;
  }
}
