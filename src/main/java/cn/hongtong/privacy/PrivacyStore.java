package cn.hongtong.privacy;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Every statement of data rights and retention. What deletion does to each table, and why:
 * <ul>
 * <li>learner: kept as a pseudonym (its random id), every identifier erased: subject (Keycloak
 * user id), unionid, both openids, display name, avatar. Region, institution and profession stay:
 * the registered-learner statistics count by them.</li>
 * <li>renewal_handle: deleted. learning_session: device ids erased (rows aged out by retention).</li>
 * <li>hours_ledger, session_day, lesson_progress, course_completion, offline_play, credit_clock,
 * learner_activity, course_activity, learner_period: kept under the pseudonym. They are the
 * continuing-education record (hours and completions must be kept for audits) and the
 * statistics' exact distinct-learner counts; nothing in them names a person.</li>
 * </ul>
 */
@ApplicationScoped
class PrivacyStore {

    private final Pool pool;

    PrivacyStore(Pool pool) {
        this.pool = pool;
    }

    /** A learner by their token subject; null when there is none (or the account was erased). */
    Uni<UUID> learnerBySubject(String subject) {
        return pool.preparedQuery("SELECT id FROM learner WHERE subject = $1 AND erased_at IS NULL")
                .execute(Tuple.of(subject))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
    }

    /** What Redis may hold of a learner: their recent sessions and every lesson they touched. */
    record HotKeys(List<UUID> sessions, List<UUID> lessons) {}

    Uni<HotKeys> hotKeys(UUID learner, Instant since) {
        Uni<List<UUID>> sessions = pool.preparedQuery(
                        "SELECT id FROM learning_session WHERE learner_id = $1 AND started_at >= $2")
                .execute(Tuple.of(learner, utc(since)))
                .map(rows -> ids(rows, "id"));
        Uni<List<UUID>> lessons = pool.preparedQuery("SELECT lesson_id FROM lesson_progress WHERE learner_id = $1 "
                        + "UNION SELECT lesson_id FROM learning_session WHERE learner_id = $1 AND started_at >= $2")
                .execute(Tuple.of(learner, utc(since)))
                .map(rows -> ids(rows, "lesson_id"));
        return Uni.combine().all().unis(sessions, lessons).asTuple().map(t -> new HotKeys(t.getItem1(), t.getItem2()));
    }

    /**
     * Erases the learner's identifiers in one transaction and records the deletion (the Keycloak
     * user to delete, and the subject's hash against tokens issued before). False when the
     * learner was erased already.
     */
    Uni<Boolean> erase(UUID learner, String subject, byte[] subjectHash, Instant now) {
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE learner SET subject = 'erased:' || id::text, "
                        + "unionid = NULL, mini_openid = NULL, app_openid = NULL, display_name = NULL, avatar_url = NULL, "
                        + "cme_id = NULL, erased_at = $2, updated_at = $2 WHERE id = $1 AND erased_at IS NULL")
                .execute(Tuple.of(learner, utc(now)))
                .chain(updated -> updated.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : eraseRows(conn, learner, subject, subjectHash, now).replaceWith(true)));
    }

    private static Uni<Void> eraseRows(
            SqlConnection conn, UUID learner, String subject, byte[] subjectHash, Instant now) {
        return conn.preparedQuery("DELETE FROM renewal_handle WHERE learner_id = $1")
                .execute(Tuple.of(learner))
                .chain(() -> conn.preparedQuery(
                                "UPDATE learning_session SET device_id = '' WHERE learner_id = $1 AND device_id <> ''")
                        .execute(Tuple.of(learner)))
                .chain(() -> conn.preparedQuery(
                                "INSERT INTO account_erasure (subject_hash, keycloak_user_id, erased_at) "
                                        + "VALUES ($1, $2, $3) ON CONFLICT (subject_hash) DO NOTHING")
                        .execute(Tuple.of(Buffer.buffer(subjectHash), subject, utc(now))))
                .replaceWithVoid();
    }

    /** A deleted account whose Keycloak user is still to be deleted. */
    record PendingDeletion(byte[] subjectHash, String keycloakUserId) {}

    Uni<List<PendingDeletion>> pendingKeycloakDeletions(int limit) {
        return pool.preparedQuery("SELECT subject_hash, keycloak_user_id FROM account_erasure "
                        + "WHERE keycloak_user_id IS NOT NULL ORDER BY erased_at LIMIT $1")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<PendingDeletion> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(new PendingDeletion(
                                row.getBuffer("subject_hash").getBytes(), row.getString("keycloak_user_id")));
                    }
                    return out;
                });
    }

    /** The Keycloak user is gone: only the subject's hash stays (until retention). */
    Uni<Void> keycloakDeleted(byte[] subjectHash) {
        return pool.preparedQuery("UPDATE account_erasure SET keycloak_user_id = NULL WHERE subject_hash = $1")
                .execute(Tuple.of(Buffer.buffer(subjectHash)))
                .replaceWithVoid();
    }

    Uni<Void> keycloakDeletionFailed(byte[] subjectHash) {
        return pool.preparedQuery("UPDATE account_erasure SET attempts = attempts + 1 WHERE subject_hash = $1")
                .execute(Tuple.of(Buffer.buffer(subjectHash)))
                .replaceWithVoid();
    }

    /**
     * Everything held about a learner as one JSON document, built by PostgreSQL: the profile, and
     * one array per table of their rows (fields as stored, the learner id left out of each row).
     * Renewal handles without their hashes.
     */
    Uni<String> export(UUID learner) {
        return pool.preparedQuery("""
                SELECT json_build_object(
                  'learnerId', l.id,
                  'profile', json_build_object('subject', l.subject, 'unionid', l.unionid,
                      'miniProgramOpenid', l.mini_openid, 'appOpenid', l.app_openid, 'displayName', l.display_name,
                      'avatarUrl', l.avatar_url, 'profession', l.profession, 'institutionId', l.institution_id,
                      'institutionName', i.name, 'regionCode', l.region_code, 'regionName', r.name,
                      'cmeId', l.cme_id, 'createdAt', l.created_at, 'updatedAt', l.updated_at),
                  'renewalHandles', (SELECT coalesce(json_agg(json_build_object('createdAt', h.created_at,
                      'expiresAt', h.expires_at, 'usedAt', h.used_at, 'revokedAt', h.revoked_at) ORDER BY h.created_at), '[]')
                      FROM renewal_handle h WHERE h.learner_id = l.id),
                  'sessions', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id' ORDER BY t.started_at), '[]')
                      FROM learning_session t WHERE t.learner_id = l.id),
                  'sessionDays', (SELECT coalesce(json_agg(to_jsonb(d) ORDER BY d.day, d.session_id), '[]')
                      FROM session_day d JOIN learning_session s ON s.id = d.session_id WHERE s.learner_id = l.id),
                  'offlinePlays', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id' ORDER BY t.started_at), '[]')
                      FROM offline_play t WHERE t.learner_id = l.id),
                  'lessonProgress', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id' ORDER BY t.course_id, t.lesson_id), '[]')
                      FROM lesson_progress t WHERE t.learner_id = l.id),
                  'hoursLedger', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id' ORDER BY t.day, t.lesson_id), '[]')
                      FROM hours_ledger t WHERE t.learner_id = l.id),
                  'courseCompletions', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id' ORDER BY t.course_id), '[]')
                      FROM course_completion t WHERE t.learner_id = l.id),
                  'creditClock', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id' ORDER BY t.day), '[]')
                      FROM credit_clock t WHERE t.learner_id = l.id),
                  'activity', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id'), '[]')
                      FROM learner_activity t WHERE t.learner_id = l.id),
                  'courseActivity', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id'), '[]')
                      FROM course_activity t WHERE t.learner_id = l.id),
                  'activePeriods', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id' ORDER BY t.kind, t.start), '[]')
                      FROM learner_period t WHERE t.learner_id = l.id),
                  -- Without the paper: it holds the answers of an attempt that may still be open.
                  'assessmentAttempts', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id' - 'paper' - 'seed'
                      ORDER BY t.started_at), '[]') FROM assessment_attempt t WHERE t.learner_id = l.id),
                  'credits', (SELECT coalesce(json_agg(to_jsonb(t) - 'learner_id' ORDER BY t.granted_on), '[]')
                      FROM credit_grant t WHERE t.learner_id = l.id)
                )::text AS document
                FROM learner l LEFT JOIN institution i ON i.id = l.institution_id LEFT JOIN region r ON r.code = l.region_code
                WHERE l.id = $1""")
                .execute(Tuple.of(learner))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("document"));
    }

    // ---- retention: each deletes at most `batch` rows and answers how many it deleted

    Uni<Integer> deleteStaleRenewalHandles(Instant before, int batch) {
        return count(pool.preparedQuery("DELETE FROM renewal_handle WHERE id IN (SELECT id FROM renewal_handle "
                        + "WHERE expires_at < $1 OR revoked_at < $1 LIMIT $2)")
                .execute(Tuple.of(utc(before), batch)));
    }

    /** Sessions started before {@code before}: their per-day totals first, then the sessions. */
    Uni<Integer> deleteOldSessions(Instant before, int batch) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "SELECT id FROM learning_session WHERE started_at < $1 ORDER BY started_at LIMIT $2 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(utc(before), batch))
                .chain(rows -> {
                    List<UUID> ids = ids(rows, "id");
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    UUID[] array = ids.toArray(UUID[]::new);
                    return conn.preparedQuery("DELETE FROM session_day WHERE session_id = ANY($1)")
                            .execute(Tuple.of(array))
                            .chain(() -> conn.preparedQuery("DELETE FROM learning_session WHERE id = ANY($1)")
                                    .execute(Tuple.of(array)))
                            .map(deleted -> deleted.rowCount());
                }));
    }

    Uni<Integer> deleteOldOfflinePlays(Instant before, int batch) {
        return count(pool.preparedQuery(
                        "DELETE FROM offline_play WHERE (learner_id, play_id) IN (SELECT learner_id, play_id "
                                + "FROM offline_play WHERE created_at < $1 LIMIT $2)")
                .execute(Tuple.of(utc(before), batch)));
    }

    Uni<Integer> deleteOldCreditClock(LocalDate before, int batch) {
        return count(pool.preparedQuery("DELETE FROM credit_clock WHERE (learner_id, day) IN (SELECT learner_id, day "
                        + "FROM credit_clock WHERE day < $1 LIMIT $2)")
                .execute(Tuple.of(before, batch)));
    }

    Uni<Integer> deleteOldErasureMarkers(Instant before, int batch) {
        return count(pool.preparedQuery("DELETE FROM account_erasure WHERE subject_hash IN (SELECT subject_hash "
                        + "FROM account_erasure WHERE keycloak_user_id IS NULL AND erased_at < $1 LIMIT $2)")
                .execute(Tuple.of(utc(before), batch)));
    }

    private static Uni<Integer> count(Uni<RowSet<Row>> statement) {
        return statement.map(rows -> rows.rowCount());
    }

    private static List<UUID> ids(RowSet<Row> rows, String column) {
        List<UUID> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(row.getUUID(column));
        }
        return out;
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
