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

    /** 200 with the body and its ETag, or 304 when the client already has this very body. */
    public Response respond(Object body, String ifNoneMatch) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a response body", e);
        }
        String etag = "W/\"" + digest(json) + "\"";
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return Response.notModified().header("ETag", etag).header("Cache-Control", "private, no-cache").build();
        }
        return Response.ok(json, "application/json").header("ETag", etag).header("Cache-Control", "private, no-cache")
                .build();
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        String opaque = etag.substring(2);
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag) || tag.equals(opaque) || tag.equals("W/" + opaque));
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
