package cn.hongtong.credit;

import cn.hongtong.common.ClientAddress;
import cn.hongtong.credit.CreditDtos.Verification;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public page a certificate's QR code opens: what an employer or a county health bureau
 * needs to trust it (the name partly masked, course, project, class, credits, date, valid or
 * revoked), nothing more. No token; every lookup counts against the caller's address.
 */
@Path("/verify/{code}")
@PermitAll
@Tag(name = "credit")
public class VerifyResource {

    private final CreditService credits;
    private final ClientAddress clients;

    VerifyResource(CreditService credits, ClientAddress clients) {
        this.credits = credits;
        this.clients = clients;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(
            summary = "Verify a certificate (public page)",
            description = "HTML by default; JSON with "
                    + "`Accept: application/json`. Unknown codes are 404; more than the configured lookups a minute from one "
                    + "address are 429.")
    public Uni<Response> page(@PathParam("code") String code, HttpServerRequest request) {
        return credits.verify(code, clients.key(request))
                .map(v -> headers(Response.ok(html(v), MediaType.TEXT_HTML + "; charset=UTF-8"))
                        .build());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> json(@PathParam("code") String code, HttpServerRequest request) {
        return credits.verify(code, clients.key(request))
                .map(v -> headers(Response.ok(v, MediaType.APPLICATION_JSON)).build());
    }

    private static Response.ResponseBuilder headers(Response.ResponseBuilder response) {
        return response.header("Cache-Control", "no-store")
                .header("X-Robots-Tag", "noindex")
                .header("Referrer-Policy", "no-referrer")
                .header(
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    }

    static String html(Verification v) {
        boolean valid = v.status().equals("valid");
        StringBuilder out = new StringBuilder("""
                <!doctype html>
                <html lang="zh-CN"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>学分证书验证 Certificate verification</title>
                <style>body{font-family:"Noto Sans CJK SC",sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}
                h1{font-size:1.3rem}.s{font-size:1.4rem;font-weight:bold;padding:.6rem 1rem;border-radius:.4rem}
                .ok{background:#e6f4ea;color:#1e6b34}.no{background:#fdecea;color:#a4231b}
                dt{color:#666;font-size:.85rem;margin-top:.7rem}dd{margin:0;font-size:1.05rem}</style></head><body>
                <h1>继续医学教育学分证书验证<br><small>Continuing medical education certificate</small></h1>
                """);
        out.append("<p class=\"s ").append(valid ? "ok\">有效 Valid" : "no\">已撤销 Revoked");
        if (!valid && v.revokedOn() != null) {
            out.append("（").append(v.revokedOn()).append("）");
        }
        out.append("</p><dl>");
        row(out, "姓名 Name", v.name());
        row(out, "课程 Course", v.course());
        row(out, "项目编号 Project number", v.projectNumber());
        row(out, "学分类别 Class", v.creditClass() + "类");
        row(out, "学分 Credits", CertificateRenderer.plain(v.credits()));
        row(out, "授予日期 Date granted", v.grantedOn().toString());
        row(out, "验证码 Code", v.code());
        return out.append("</dl></body></html>\n").toString();
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append("<dt>")
                .append(label)
                .append("</dt><dd>")
                .append(escape(value))
                .append("</dd>");
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
