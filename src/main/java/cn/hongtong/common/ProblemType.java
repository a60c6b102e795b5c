package cn.hongtong.common;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One kind of error the API answers. Its {@link #uri()} is the stable RFC 9457 {@code type}
 * that clients switch on; the title is what a person reads. Features declare their own kinds
 * beside their code; the ones every feature shares are in {@link CommonProblems}.
 */
public record ProblemType(String slug, int status, LocalizedText title) {

    private static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9-]*");
    public static final String URI_PREFIX = "urn:hongtong:problem:";

    public ProblemType {
        Objects.requireNonNull(title, "title");
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("problem slug must be lower-case kebab: " + slug);
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("problem status must be 4xx or 5xx: " + status);
        }
    }

    public String uri() {
        return URI_PREFIX + slug;
    }
}
