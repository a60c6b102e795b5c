/**
 * Learners' data rights and retention (PIPL; WeChat's and the app stores' in-app account
 * cancellation). Owns account deletion ({@code DELETE /api/v1/me}), the export of everything held
 * about a learner ({@code GET /api/v1/me/export}) and the retention jobs. Its SQL reaches across
 * the identity and learning tables on purpose: deletion and export are set-based operations over
 * every table that holds a learner's rows, and keeping them in one store ({@link PrivacyStore})
 * is what makes "every table" checkable in one place.
 */
package cn.hongtong.privacy;
