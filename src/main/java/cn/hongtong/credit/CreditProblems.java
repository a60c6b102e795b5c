package cn.hongtong.credit;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemType;

/** The kinds of error of continuing-education credit. */
final class CreditProblems {

    static final ProblemType PROJECT_NOT_FOUND = new ProblemType(
            "cme-project-not-found", 404, LocalizedText.of("继续教育项目不存在", "No such continuing-education project"));
    static final ProblemType PROJECT_NUMBER_TAKEN = new ProblemType(
            "cme-project-number-taken", 409, LocalizedText.of("项目编号已被使用", "The project number is already in use"));
    static final ProblemType NO_ASSESSMENT =
            new ProblemType("assessment-not-found", 404, LocalizedText.of("该课程没有考核", "The course has no assessment"));
    static final ProblemType QUESTION_NOT_FOUND =
            new ProblemType("question-not-found", 404, LocalizedText.of("试题不存在", "No such question"));
    static final ProblemType ASSESSMENT_LOCKED = new ProblemType(
            "assessment-locked",
            409,
            LocalizedText.of("课程尚未学完，考核未开放", "The assessment opens when the course is complete"));
    static final ProblemType ASSESSMENT_NOT_READY = new ProblemType(
            "assessment-not-ready",
            409,
            LocalizedText.of("题库中的有效试题不足", "The question bank has too few active questions"));
    static final ProblemType ALREADY_PASSED = new ProblemType(
            "assessment-already-passed", 409, LocalizedText.of("您已通过该考核", "You have already passed this assessment"));
    static final ProblemType ATTEMPTS_EXHAUSTED =
            new ProblemType("assessment-attempts-exhausted", 409, LocalizedText.of("考核次数已用完", "No attempts are left"));
    static final ProblemType COOLING_DOWN =
            new ProblemType("assessment-cooling-down", 429, LocalizedText.of("请稍后再考", "The next attempt opens later"));
    static final ProblemType ATTEMPT_OPEN = new ProblemType(
            "assessment-attempt-open",
            409,
            LocalizedText.of("还有一次考核未提交", "An attempt is still open: submit or resume it"));
    static final ProblemType ATTEMPT_NOT_FOUND =
            new ProblemType("assessment-attempt-not-found", 404, LocalizedText.of("考核记录不存在", "No such attempt"));
    static final ProblemType ATTEMPT_ID_IN_USE = new ProblemType(
            "assessment-attempt-id-in-use",
            409,
            LocalizedText.of("该考核编号已用于其他课程", "This attempt id belongs to another course"));
    static final ProblemType TIME_OVER = new ProblemType(
            "assessment-time-over",
            409,
            LocalizedText.of("考核时间已到，答案未被接受", "The time limit has passed; the answers were not accepted"));
    static final ProblemType ALREADY_SUBMITTED = new ProblemType(
            "assessment-already-submitted",
            409,
            LocalizedText.of("该次考核已提交了不同的答案", "This attempt was submitted with other answers"));
    static final ProblemType CREDIT_NOT_FOUND =
            new ProblemType("credit-not-found", 404, LocalizedText.of("学分记录不存在", "No such credit"));
    static final ProblemType CREDIT_REVOKED =
            new ProblemType("credit-revoked", 409, LocalizedText.of("该学分已被撤销", "This credit has been revoked"));
    static final ProblemType NOT_EARNED = new ProblemType(
            "credit-not-earned",
            409,
            LocalizedText.of(
                    "尚未获得该课程学分：课程未学完、考核未通过、课程不属于有效的继续教育项目，或项目学分已用完",
                    "No credit earned for this course: it is not complete, its assessment is not passed, it is in no valid "
                            + "project, or the project's credits are used up"));
    static final ProblemType NAME_REQUIRED = new ProblemType(
            "profile-name-required", 409, LocalizedText.of("请先在个人资料中填写姓名", "Set your name in your profile first"));

    private CreditProblems() {}
}
