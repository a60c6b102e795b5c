/**
 * Continuing medical education: accredited projects, course assessments (question bank,
 * attempts, server-side grading), the credits they grant (once per learner and course, in the
 * transaction that makes a course creditable), certificates and transcripts as PDF, the public
 * verification page, and the per-project export for a provincial CME office. The only package
 * that writes projects, questions, attempts and grants.
 */
package cn.hongtong.credit;
