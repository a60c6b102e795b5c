/**
 * The analysts' dashboard: a browser application served from the jar at {@code /dashboard/}
 * (static files under {@code META-INF/resources/dashboard}, charts from the ECharts webjar), which
 * logs in through Keycloak (authorization code with PKCE, public client) and reads only the
 * statistics API; this package holds what it needs from the server: where to log in.
 */
package cn.hongtong.dashboard;
