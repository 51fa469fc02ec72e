import { memberRoute } from '@/lib/http/tenant-route';
import { boardRoute } from '@/lib/tasks/board-route';

// In production the project's server answers GET of this route itself (lib/http/direct-routes.ts). Next.js
// serves the same definition for what reaches it: HEAD, and GET in development, where it reloads with edits.
export const GET = memberRoute(boardRoute.permission, boardRoute.handler);
