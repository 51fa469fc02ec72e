import { exportAuditLog } from '@/lib/audit/export-route';

export const GET = exportAuditLog;
