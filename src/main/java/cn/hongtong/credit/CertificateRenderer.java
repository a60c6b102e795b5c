package cn.hongtong.credit;

import cn.hongtong.credit.CreditDtos.Credit;
import cn.hongtong.credit.CreditDtos.YearCredits;
import cn.hongtong.credit.PdfDocument.Align;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/** Certificates (one per credit) and yearly transcripts, as PDF, in Chinese with English beneath. */
@ApplicationScoped
class CertificateRenderer {

    private final CjkGlyphs glyphs;
    private final CreditConfig config;

    CertificateRenderer(CjkGlyphs glyphs, CreditConfig config) {
        this.glyphs = glyphs;
        this.config = config;
    }

    /** The verification page of a code: what the QR code carries. */
    String verificationUrl(String code) {
        String base = config.verification().publicBaseUrl();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/verify/" + code;
    }

    static String grouped(String code) {
        return String.join("-", code.split("(?<=\\G.{4})"));
    }

    byte[] certificate(Credit credit, CreditStore.Holder holder) throws IOException {
        PdfDocument pdf = new PdfDocument(glyphs);
        PdfDocument.Page page = pdf.page(new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth()));
        float w = page.width();
        float h = page.height();
        page.rectangle(24, 24, w - 48, h - 48, 2.5f, 0.35f).rectangle(32, 32, w - 64, h - 64, 0.6f, 0.35f);
        page.text(w / 2, h - 100, 30, "继续医学教育学分证书", Align.CENTER);
        page.text(w / 2, h - 124, 12, "Continuing Medical Education Credit Certificate", Align.CENTER);
        float x = 90;
        float y = h - 180;
        float step = 30;
        String[][] lines = {
            {"姓名 Name", holder.name()},
            {"工作单位 Institution", holder.institution() == null ? "—" : holder.institution()},
            {"课程 Course", credit.courseTitle()},
            {"项目编号 Project number", credit.projectNumber() + "（" + level(credit.level()) + "）"},
            {"项目名称 Project", credit.projectName()},
            {"学分类别 Class", credit.creditClass() + "类 (Class " + credit.creditClass() + ")"},
            {"授予学分 Credits", plain(credit.credits()) + " 学分"},
            {"学时 Hours", plain(credit.hours()) + " 学时（实际学习 " + plain(credit.learnedHours()) + " 小时）"},
            {"授予日期 Date", chinese(credit.grantedOn()) + "  (" + credit.grantedOn() + ")"},
        };
        for (String[] line : lines) {
            page.text(x, y, 11, line[0], Align.LEFT);
            page.text(x + 170, y, 15, page.fit(line[1], 15, w - x - 170 - 210), Align.LEFT);
            y -= step;
        }
        boolean[][] qr = qr(verificationUrl(credit.verificationCode()));
        float module = 132f / qr.length;
        float qrLeft = w - 90 - 132;
        float qrTop = h - 190;
        page.modules(qrLeft, qrTop, module, qr);
        page.text(qrLeft + 66, qrTop - 150, 10, "扫码验证 Scan to verify", Align.CENTER);
        page.text(qrLeft + 66, qrTop - 168, 11, grouped(credit.verificationCode()), Align.CENTER);
        page.line(x, 92, w - 90, 92, 0.5f, 0.5f);
        page.text(
                x,
                74,
                10,
                "验证码 Verification code " + grouped(credit.verificationCode()) + "   "
                        + verificationUrl(credit.verificationCode()),
                Align.LEFT);
        page.text(w - 90, 56, 12, config.certificate().issuerZh(), Align.RIGHT);
        page.text(x, 56, 9, "学分以验证页面显示为准 The verification page is authoritative.", Align.LEFT);
        return pdf.save("继续医学教育学分证书 " + credit.verificationCode());
    }

    byte[] transcript(YearCredits year, CreditStore.Holder holder) throws IOException {
        PdfDocument pdf = new PdfDocument(glyphs);
        PdfDocument.Page page = pdf.page(PDRectangle.A4);
        float w = page.width();
        float h = page.height();
        float y = transcriptHeader(page, year, holder);
        float[] cols = {48, 116, 296, 404, 440, 480};
        String[] heads = {"授予日期", "课程", "项目编号", "类别", "学分", "学时/状态"};
        for (int i = 0; i < heads.length; i++) {
            page.text(cols[i], y, 10, heads[i], Align.LEFT);
        }
        page.line(48, y - 6, w - 48, y - 6, 0.6f, 0);
        y -= 22;
        for (Credit c : year.credits()) {
            if (y < 90) {
                page = pdf.page(PDRectangle.A4);
                y = h - 60;
            }
            page.text(cols[0], y, 9.5f, c.grantedOn().toString(), Align.LEFT);
            page.text(cols[1], y, 9.5f, page.fit(c.courseTitle(), 9.5f, cols[2] - cols[1] - 8), Align.LEFT);
            page.text(cols[2], y, 9.5f, page.fit(c.projectNumber(), 9.5f, cols[3] - cols[2] - 6), Align.LEFT);
            page.text(cols[3], y, 9.5f, c.creditClass() + "类", Align.LEFT);
            page.text(cols[4], y, 9.5f, plain(c.credits()), Align.LEFT);
            page.text(cols[5], y, 9.5f, plain(c.hours()) + (c.status().equals("revoked") ? "  已撤销" : ""), Align.LEFT);
            y -= 18;
        }
        if (year.credits().isEmpty()) {
            page.text(48, y, 10, "本年度暂无学分 No credits this year", Align.LEFT);
            y -= 18;
        }
        page.line(48, y + 6, w - 48, y + 6, 0.6f, 0);
        page.text(
                48,
                48,
                8.5f,
                "已撤销的学分不计入合计。 Revoked credits are not counted. "
                        + config.certificate().issuerZh() + "  " + LocalDate.now(config.zone()),
                Align.LEFT);
        return pdf.save("继续医学教育学分年度汇总 " + year.year());
    }

    private float transcriptHeader(PdfDocument.Page page, YearCredits year, CreditStore.Holder holder) {
        float w = page.width();
        float y = page.height() - 70;
        page.text(w / 2, y, 20, "继续医学教育学分年度汇总（" + year.year() + "年）", Align.CENTER);
        page.text(w / 2, y - 20, 10, "Continuing medical education transcript, " + year.year(), Align.CENTER);
        y -= 56;
        page.text(
                48,
                y,
                11,
                "姓名：" + holder.name() + "    工作单位：" + (holder.institution() == null ? "—" : holder.institution()),
                Align.LEFT);
        y -= 20;
        var earned = year.earned();
        var req = year.requirement();
        page.text(
                48,
                y,
                11,
                "I类 " + plain(earned.classI()) + " 分，II类 " + plain(earned.classIi()) + " 分，计入 "
                        + plain(earned.counted()) + " / 要求 " + plain(req.total()) + " 分（I类 " + plain(req.classIMin())
                        + "–"
                        + plain(req.classIMax()) + "，II类 " + plain(req.classIiMin()) + "–" + plain(req.classIiMax())
                        + "）："
                        + (year.met() ? "已达标" : "未达标"),
                Align.LEFT);
        y -= 16;
        page.text(
                48,
                y,
                9,
                "Class I " + plain(earned.classI()) + ", class II " + plain(earned.classIi()) + "; counted "
                        + plain(earned.counted()) + " of " + plain(req.total()) + " required: "
                        + (year.met() ? "met" : "not met"),
                Align.LEFT);
        if (year.training() != null) {
            y -= 16;
            page.text(
                    48,
                    y,
                    10,
                    "每" + year.training().everyYears() + "年至少培训一次："
                            + (year.training().met()
                                    ? "已满足（最近一次 " + year.training().lastCreditOn() + "）"
                                    : "未满足")
                            + "   Trained at least every " + year.training().everyYears() + " years: "
                            + (year.training().met() ? "met" : "not met"),
                    Align.LEFT);
        }
        return y - 30;
    }

    private static boolean[][] qr(String url) {
        try {
            BitMatrix matrix = new QRCodeWriter()
                    .encode(
                            url,
                            BarcodeFormat.QR_CODE,
                            0,
                            0,
                            Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 0));
            boolean[][] dark = new boolean[matrix.getHeight()][matrix.getWidth()];
            for (int r = 0; r < dark.length; r++) {
                for (int c = 0; c < dark[r].length; c++) {
                    dark[r][c] = matrix.get(c, r);
                }
            }
            return dark;
        } catch (WriterException e) {
            throw new IllegalStateException("cannot encode the verification URL", e);
        }
    }

    private static String level(String level) {
        return level.equals("national") ? "国家级" : "省级";
    }

    static String chinese(LocalDate day) {
        return day.getYear() + "年" + day.getMonthValue() + "月" + day.getDayOfMonth() + "日";
    }

    static String plain(BigDecimal value) {
        return value == null ? "—" : value.stripTrailingZeros().toPlainString();
    }
}
