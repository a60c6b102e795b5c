package cn.hongtong.statistics;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.QueryParam;
import java.time.LocalDate;
import java.util.UUID;

/** The filters every statistics endpoint takes, from the query string. */
public class StatsFilterParams {

    static final String REGION = "all|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12}";

    /** First day (Asia/Shanghai), inclusive; default: 30 days before {@code to}. */
    @QueryParam("from")
    public LocalDate from;

    /** Last day (Asia/Shanghai), inclusive; default: today. */
    @QueryParam("to")
    public LocalDate to;

    /** A region code (its learners and everything below), or {@code all}; default: the caller's scope. */
    @QueryParam("region")
    @Pattern(regexp = REGION, message = "must be a 2, 4, 6, 9 or 12 digit region code, or all")
    public String region;

    /** A course category code. */
    @QueryParam("category")
    @Pattern(regexp = "[a-z][a-z0-9-]{0,39}", message = "must be a category code")
    public String category;

    /** A course id. */
    @QueryParam("course")
    public UUID course;

    StatsService.Params params() {
        return new StatsService.Params(from, to, region, category, course);
    }
}
