package cn.hongtong.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * ETag and {@code If-None-Match} for JSON answers that mobile clients refresh often: an
 * unchanged answer costs a 304 and no body on a slow network.
 */
@ApplicationScoped
public class ConditionalGet {

    private final ObjectMapper mapper;

    public ConditionalGet(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** An answer serialised once, with its ETag: what can be kept and served again. */
    public record Representation(byte[] json, String etag) {}

    /** The JSON of {@code body} and its ETag. */
    public Representation represent(Object body) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a response body", e);
        }
        return new Representation(json, "W/\"" + digest(json) + "\"");
    }

    /** 200 with the body and its ETag, or 304 when the client already has this very body. */
    public Response respond(Object body, String ifNoneMatch) {
        return respond(represent(body), ifNoneMatch);
    }

    /** 200 with the representation and its ETag, or 304 when the client already has it. */
    public Response respond(Representation answer, String ifNoneMatch) {
        if (ifNoneMatch != null && matches(ifNoneMatch, answer.etag())) {
            return Response.notModified()
                    .header("ETag", answer.etag())
                    .header("Cache-Control", "private, no-cache")
                    .build();
        }
        return Response.ok(answer.json(), "application/json")
                .header("ETag", answer.etag())
                .header("Cache-Control", "private, no-cache")
                .build();
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        String opaque = etag.substring(2);
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .anyMatch(
                        tag -> tag.equals("*") || tag.equals(etag) || tag.equals(opaque) || tag.equals("W/" + opaque));
    }

    private static String digest(byte[] json) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 18));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
