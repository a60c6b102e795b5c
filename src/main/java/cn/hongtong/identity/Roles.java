package cn.hongtong.identity;

/** Realm roles carried in {@code realm_access.roles} of Keycloak tokens. */
public final class Roles {

    public static final String LEARNER = "learner";
    public static final String COURSE_ADMIN = "course-admin";
    public static final String ANALYST = "analyst";
    public static final String ADMIN = "admin";

    private Roles() {}
}
