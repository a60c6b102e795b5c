package cn.hongtong.identity;

import java.util.Set;
import java.util.UUID;

/**
 * Who the caller is, as the API sees them.
 *
 * @param learnerId the learner record, for callers with role {@code learner}; otherwise null
 * @param regionScope an analyst's region-code prefix; null means nationwide or not an analyst
 */
public record MeResponse(String subject, String username, Set<String> roles, String regionScope, UUID learnerId) {}
