package cn.hongtong.statistics;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemType;

final class StatsProblems {

    static final ProblemType OUT_OF_SCOPE = new ProblemType(
            "region-out-of-scope", 403, LocalizedText.of("超出您可查看的地区范围", "The region is outside your scope"));
    static final ProblemType REGION_SCOPE_MISSING = new ProblemType(
            "region-scope-missing", 403, LocalizedText.of("您的账号未设置可查看的地区范围", "Your account has no region scope"));

    private StatsProblems() {}
}
