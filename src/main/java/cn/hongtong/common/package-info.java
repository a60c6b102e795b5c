/**
 * Cross-cutting plumbing with no business rules: the problem+json error model (every error the
 * API answers, from a domain rule down to an unknown route or an oversized body), language
 * negotiation for user-facing text, and readiness probes of the shared infrastructure
 * (PostgreSQL, Redis).
 */
package cn.hongtong.common;
