package cn.hongtong.learning;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemType;

final class LearningProblems {

    static final ProblemType SESSION_NOT_FOUND =
            new ProblemType("session-not-found", 404, LocalizedText.of("学习会话不存在", "No such learning session"));
    static final ProblemType NOT_DURABLE = new ProblemType(
            "not-durable",
            503,
            LocalizedText.of("学习记录尚未安全保存，请重新发送", "The learning record is not yet stored safely; send it again"));
    static final ProblemType SESSION_ENDED =
            new ProblemType("session-ended", 409, LocalizedText.of("学习会话已结束", "The learning session has ended"));

    private LearningProblems() {}
}
