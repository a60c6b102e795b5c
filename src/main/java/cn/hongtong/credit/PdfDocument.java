package cn.hongtong.credit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;

/**
 * A small PDF writer over PDFBox: pages of text, lines and filled squares, with the text in
 * Type 3 fonts drawn from {@link CjkGlyphs} (see there why). Characters get one-byte codes in
 * order of first use, 255 per font; a run of text switches fonts where its characters do. Not
 * thread-safe: one per document.
 */
final class PdfDocument {

    enum Align {
        LEFT,
        CENTER,
        RIGHT
    }

    private static final int CODES_PER_FONT = 255;

    private final CjkGlyphs glyphs;
    private final Map<Integer, int[]> codes = new LinkedHashMap<>();
    private final List<Page> pages = new ArrayList<>();

    PdfDocument(CjkGlyphs glyphs) {
        this.glyphs = glyphs;
    }

    final class Page {
        private final PDRectangle size;
        private final StringBuilder ops = new StringBuilder();

        private Page(PDRectangle size) {
            this.size = size;
        }

        float width() {
            return size.getWidth();
        }

        float height() {
            return size.getHeight();
        }

        Page text(float x, float y, float fontSize, String text, Align align) {
            String clean = text == null ? "" : text.replaceAll("\\p{Cntrl}", " ");
            float w = glyphs.width(clean, fontSize);
            float left = switch (align) {
                case LEFT -> x;
                case CENTER -> x - w / 2;
                case RIGHT -> x - w;
            };
            ops.append("BT\n").append(n(left)).append(' ').append(n(y)).append(" Td\n");
            int font = -1;
            StringBuilder run = new StringBuilder();
            for (int cp : clean.codePoints().toArray()) {
                int[] code = code(cp);
                if (code[0] != font) {
                    flush(run);
                    font = code[0];
                    ops.append("/F")
                            .append(font)
                            .append(' ')
                            .append(n(fontSize))
                            .append(" Tf\n");
                }
                run.append(String.format("%02X", code[1]));
            }
            flush(run);
            ops.append("ET\n");
            return this;
        }

        /** Shortens a text with an ellipsis to fit a width. */
        String fit(String text, float fontSize, float maxWidth) {
            if (glyphs.width(text, fontSize) <= maxWidth) {
                return text;
            }
            int[] cps = text.codePoints().toArray();
            for (int n = cps.length - 1; n > 0; n--) {
                String cut = new String(cps, 0, n) + "…";
                if (glyphs.width(cut, fontSize) <= maxWidth) {
                    return cut;
                }
            }
            return "…";
        }

        Page line(float x1, float y1, float x2, float y2, float lineWidth, float gray) {
            ops.append(n(gray))
                    .append(" G ")
                    .append(n(lineWidth))
                    .append(" w ")
                    .append(n(x1))
                    .append(' ')
                    .append(n(y1))
                    .append(" m ")
                    .append(n(x2))
                    .append(' ')
                    .append(n(y2))
                    .append(" l S\n");
            return this;
        }

        Page rectangle(float x, float y, float w, float h, float lineWidth, float gray) {
            ops.append(n(gray))
                    .append(" G ")
                    .append(n(lineWidth))
                    .append(" w ")
                    .append(n(x))
                    .append(' ')
                    .append(n(y))
                    .append(' ')
                    .append(n(w))
                    .append(' ')
                    .append(n(h))
                    .append(" re S\n");
            return this;
        }

        /** Black squares of a module grid (a QR code), {@code module} points each, top-left at (x, y). */
        Page modules(float x, float y, float module, boolean[][] dark) {
            ops.append("0 g\n");
            for (int row = 0; row < dark.length; row++) {
                for (int col = 0; col < dark[row].length; col++) {
                    if (dark[row][col]) {
                        ops.append(n(x + col * module))
                                .append(' ')
                                .append(n(y - (row + 1) * module))
                                .append(' ')
                                .append(n(module))
                                .append(' ')
                                .append(n(module))
                                .append(" re\n");
                    }
                }
            }
            ops.append("f\n");
            return this;
        }

        private void flush(StringBuilder run) {
            if (run.length() > 0) {
                ops.append('<').append(run).append("> Tj\n");
                run.setLength(0);
            }
        }
    }

    Page page(PDRectangle size) {
        Page page = new Page(size);
        pages.add(page);
        return page;
    }

    private int[] code(int codePoint) {
        return codes.computeIfAbsent(codePoint, cp -> {
            int index = codes.size();
            return new int[] {index / CODES_PER_FONT + 1, index % CODES_PER_FONT + 1};
        });
    }

    byte[] save(String title) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(title);
            info.setProducer("Hong Tong Tong");
            COSDictionary fonts = fonts(doc);
            for (Page page : pages) {
                PDPage pd = new PDPage(page.size);
                COSDictionary resources = new COSDictionary();
                resources.setItem(COSName.FONT, fonts);
                pd.setResources(new PDResources(resources));
                PDStream content = new PDStream(doc);
                try (OutputStream out = content.createOutputStream(COSName.FLATE_DECODE)) {
                    out.write(page.ops.toString().getBytes(StandardCharsets.US_ASCII));
                }
                pd.setContents(content);
                doc.addPage(pd);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** One Type 3 font per 255 characters used, each with its glyph procedures, widths and ToUnicode map. */
    private COSDictionary fonts(PDDocument doc) throws IOException {
        COSDictionary fonts = new COSDictionary();
        List<Integer> used = new ArrayList<>(codes.keySet());
        int count = (used.size() + CODES_PER_FONT - 1) / CODES_PER_FONT;
        for (int f = 0; f < count; f++) {
            List<Integer> mine = used.subList(f * CODES_PER_FONT, Math.min(used.size(), (f + 1) * CODES_PER_FONT));
            COSDictionary font = new COSDictionary();
            font.setItem(COSName.TYPE, COSName.FONT);
            font.setItem(COSName.SUBTYPE, COSName.getPDFName("Type3"));
            font.setItem(COSName.FONT_MATRIX, numbers(0.001f, 0, 0, 0.001f, 0, 0));
            font.setItem(COSName.FONT_BBOX, numbers(-1000, -1000, 2000, 2000));
            COSDictionary procs = new COSDictionary();
            COSArray differences = new COSArray();
            differences.add(COSInteger.get(1));
            COSArray widths = new COSArray();
            StringBuilder toUnicode = new StringBuilder(
                    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                            + "/CMapName /HongTongType3 def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n");
            for (int start = 0; start < mine.size(); start += 100) {
                List<Integer> chunk = mine.subList(start, Math.min(mine.size(), start + 100));
                toUnicode.append(chunk.size()).append(" beginbfchar\n");
                for (int i = 0; i < chunk.size(); i++) {
                    int code = start + i + 1;
                    toUnicode.append(String.format("<%02X> <%s>\n", code, utf16(chunk.get(i))));
                }
                toUnicode.append("endbfchar\n");
            }
            toUnicode.append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
            for (int i = 0; i < mine.size(); i++) {
                CjkGlyphs.Glyph glyph = glyphs.glyph(mine.get(i));
                String name = "g" + (i + 1);
                procs.setItem(name, stream(doc, glyph.advance() + " 0 d0\n" + glyph.path() + "f\n"));
                differences.add(COSName.getPDFName(name));
                widths.add(COSInteger.get(glyph.advance()));
            }
            font.setItem(COSName.getPDFName("CharProcs"), procs);
            COSDictionary encoding = new COSDictionary();
            encoding.setItem(COSName.TYPE, COSName.ENCODING);
            encoding.setItem(COSName.DIFFERENCES, differences);
            font.setItem(COSName.ENCODING, encoding);
            font.setInt(COSName.FIRST_CHAR, 1);
            font.setInt(COSName.LAST_CHAR, mine.size());
            font.setItem(COSName.WIDTHS, widths);
            font.setItem(COSName.TO_UNICODE, stream(doc, toUnicode.toString()));
            font.setItem(COSName.RESOURCES, new COSDictionary());
            fonts.setItem("F" + (f + 1), font);
        }
        return fonts;
    }

    private static String utf16(int codePoint) {
        StringBuilder hex = new StringBuilder();
        for (char c : Character.toChars(codePoint)) {
            hex.append(String.format("%04X", (int) c));
        }
        return hex.toString();
    }

    private static COSStream stream(PDDocument doc, String content) throws IOException {
        COSStream stream = doc.getDocument().createCOSStream();
        try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(content.getBytes(StandardCharsets.US_ASCII));
        }
        return stream;
    }

    private static COSArray numbers(float... values) {
        COSArray array = new COSArray();
        for (float v : values) {
            array.add(new COSFloat(v));
        }
        return array;
    }

    private static String n(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
