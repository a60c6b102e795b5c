package cn.hongtong.dashboard;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;

/**
 * The dashboard's pages get a content security policy that lets them load only their own files
 * and talk only to the API and the realm (so an injected script could neither load code nor send
 * a token elsewhere), may not be framed, and send no referrer (the login answer arrives as a
 * one-time code in the URL). {@code /dashboard} redirects to {@code /dashboard/}.
 */
@ApplicationScoped
class DashboardHeaders {

    /** Before the static files are served. */
    private static final int ORDER = -10;

    private final String policy;

    DashboardHeaders(DashboardConfig config) {
        URI realm = URI.create(config.issuer());
        String realmOrigin = realm.getScheme() + "://" + realm.getAuthority();
        // ECharts sets element styles from script and draws on canvases (data: images for export).
        this.policy =
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                        + "connect-src 'self' " + realmOrigin
                        + "; frame-ancestors 'none'; base-uri 'none'; form-action 'self' "
                        + realmOrigin;
    }

    void install(@Observes Router router) {
        // A plain path also matches "/dashboard/" in Vert.x: only the bare one is redirected.
        router.routeWithRegex("^/dashboard$").order(ORDER).handler(ctx -> ctx.redirect("/dashboard/"));
        router.route("/dashboard/*").order(ORDER).handler(ctx -> {
            ctx.response()
                    .putHeader("Content-Security-Policy", policy)
                    .putHeader("X-Frame-Options", "DENY")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("X-Content-Type-Options", "nosniff");
            ctx.next();
        });
    }
}
