package cn.hongtong.credit;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.geom.PathIterator;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.fontbox.cff.CFFCIDFont;
import org.apache.fontbox.cff.CFFFont;
import org.apache.fontbox.cff.Type2CharString;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.OpenTypeFont;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;

/**
 * Glyph outlines of a CJK font (Debian's Noto Sans CJK, whose outlines are CFF), as PDF path
 * operators. PDFBox cannot subset a CFF-flavoured OpenType font, and embedding the whole face
 * would put 16 MB in every certificate; {@link PdfDocument} instead draws each character a
 * document uses from these outlines in a Type 3 font (with a ToUnicode map, so the text can still
 * be extracted, searched and copied). Loaded on first use, on a worker thread; fontbox is not
 * thread-safe, so glyphs are read under a lock and kept.
 */
@ApplicationScoped
class CjkGlyphs {

    /** A glyph: its advance and its outline as path operators, in 1/1000 em (y up). */
    record Glyph(int advance, String path) {}

    private final CreditConfig.Certificate config;
    private final Map<Integer, Glyph> glyphs = new ConcurrentHashMap<>();
    private TrueTypeCollection collection;
    private TrueTypeFont face;
    private CFFFont cff;
    private CmapLookup cmap;
    private float scale;

    CjkGlyphs(CreditConfig config) {
        this.config = config.certificate();
    }

    Glyph glyph(int codePoint) {
        Glyph known = glyphs.get(codePoint);
        return known != null ? known : glyphs.computeIfAbsent(codePoint, this::load);
    }

    /** Advance of a text at a size, in points. */
    float width(String text, float size) {
        float units = 0;
        for (int cp : text.codePoints().toArray()) {
            units += glyph(cp).advance();
        }
        return units * size / 1000f;
    }

    private synchronized Glyph load(int codePoint) {
        try {
            open();
            int gid = cmap.getGlyphId(codePoint);
            int advance = Math.round(face.getAdvanceWidth(gid) * scale);
            Type2CharString outline =
                    cff instanceof CFFCIDFont cid ? cid.getType2CharString(gid) : cff.getType2CharString(gid);
            StringBuilder ops = new StringBuilder();
            double[] c = new double[6];
            for (PathIterator it = outline.getPath().getPathIterator(null); !it.isDone(); it.next()) {
                switch (it.currentSegment(c)) {
                    case PathIterator.SEG_MOVETO -> op(ops, "m", c[0], c[1]);
                    case PathIterator.SEG_LINETO -> op(ops, "l", c[0], c[1]);
                    // A quadratic segment as a cubic one whose control points coincide.
                    case PathIterator.SEG_QUADTO -> op(ops, "c", c[0], c[1], c[0], c[1], c[2], c[3]);
                    case PathIterator.SEG_CUBICTO -> op(ops, "c", c[0], c[1], c[2], c[3], c[4], c[5]);
                    default -> ops.append("h\n");
                }
            }
            return new Glyph(advance, ops.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read glyph " + codePoint + " of " + config.fontName(), e);
        }
    }

    /** A path operator after its operands: "x y x y ... op". */
    private void op(StringBuilder ops, String operator, double... operands) {
        for (double v : operands) {
            ops.append(n(v)).append(' ');
        }
        ops.append(operator).append('\n');
    }

    private String n(double v) {
        double scaled = v * scale;
        return scaled == Math.rint(scaled) ? Long.toString((long) scaled) : String.format(Locale.ROOT, "%.1f", scaled);
    }

    private void open() throws IOException {
        if (face != null) {
            return;
        }
        long start = System.nanoTime();
        File file = new File(config.fontFile());
        if (!file.isFile()) {
            throw new IOException("font file " + file + " is missing (install Debian's fonts-noto-cjk)");
        }
        collection = new TrueTypeCollection(file);
        TrueTypeFont found = collection.getFontByName(config.fontName());
        if (!(found instanceof OpenTypeFont otf) || !otf.isPostScript()) {
            throw new IOException("no CFF face " + config.fontName() + " in " + file);
        }
        cff = otf.getCFF().getFont();
        cmap = otf.getUnicodeCmapLookup();
        scale = 1000f / otf.getUnitsPerEm();
        face = otf;
        Log.infof("certificate font %s loaded in %d ms", config.fontName(), (System.nanoTime() - start) / 1_000_000);
    }
}
