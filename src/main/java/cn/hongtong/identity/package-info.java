/**
 * Who calls: bearer tokens issued by Keycloak, {@link cn.hongtong.identity.CurrentUser} (the one
 * way code learns the caller), learners and their profiles, the WeChat bridge, regions and
 * institutions.
 */
package cn.hongtong.identity;
