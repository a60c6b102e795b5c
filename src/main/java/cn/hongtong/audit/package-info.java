/**
 * The audit trail of staff actions (course and lesson changes, uploads; assessment questions and
 * credit revocations record here too once they exist): {@link AuditLog} writes in the caller's
 * transaction, {@code GET /api/v1/admin/audit} lets admins read it; {@link AuditStore} holds the SQL.
 */
package cn.hongtong.audit;
