package cn.hongtong.testsupport;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Exists only in the test application: an endpoint someone forgot to secure. */
@Path("/test-support/unannotated")
public class UnannotatedProbeResource {

    @GET
    public String leak() {
        return "this must never be served";
    }
}
