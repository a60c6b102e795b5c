package cn.hongtong.catalog;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemType;

public final class CatalogProblems {

    public static final ProblemType COURSE_NOT_FOUND =
            new ProblemType("course-not-found", 404, LocalizedText.of("课程不存在", "No such course"));
    public static final ProblemType LESSON_NOT_FOUND =
            new ProblemType("lesson-not-found", 404, LocalizedText.of("课时不存在", "No such lesson"));
    public static final ProblemType LESSON_NOT_PLAYABLE = new ProblemType(
            "lesson-not-playable", 404, LocalizedText.of("课时不存在或视频尚未就绪", "No such lesson, or its video is not ready"));
    static final ProblemType LESSON_POSITION_TAKEN = new ProblemType(
            "lesson-position-taken", 409, LocalizedText.of("该位置已有课时", "Another lesson has this position"));
    static final ProblemType COURSE_NOT_PUBLISHABLE = new ProblemType(
            "course-not-publishable", 409, LocalizedText.of("课程尚不能发布", "The course cannot be published yet"));
    static final ProblemType COURSE_NOT_EDITABLE = new ProblemType(
            "course-not-editable",
            409,
            LocalizedText.of("已发布的课程不能删除课时", "Lessons of a published course cannot be removed"));

    private CatalogProblems() {}
}
