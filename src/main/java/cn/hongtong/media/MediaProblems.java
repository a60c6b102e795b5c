package cn.hongtong.media;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemType;

final class MediaProblems {

    static final ProblemType ASSET_NOT_FOUND =
            new ProblemType("media-not-found", 404, LocalizedText.of("视频不存在", "No such video"));
    static final ProblemType NOT_PLAYABLE = new ProblemType(
            "media-not-playable", 422, LocalizedText.of("上传的文件不是可播放的视频", "The uploaded file is not a playable video"));
    static final ProblemType UPLOAD_INCOMPLETE =
            new ProblemType("upload-incomplete", 409, LocalizedText.of("上传尚未完成", "The upload is not complete"));
    static final ProblemType UPLOAD_STATE = new ProblemType(
            "upload-state-conflict",
            409,
            LocalizedText.of("该视频当前状态不允许此操作", "The video is not in a state that allows this"));
    static final ProblemType SIGNATURE_INVALID = new ProblemType(
            "signature-invalid", 403, LocalizedText.of("链接无效或已过期", "The link is invalid or has expired"));

    private MediaProblems() {}
}
