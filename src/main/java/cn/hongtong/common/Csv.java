package cn.hongtong.common;

import java.util.List;

/**
 * CSV as Excel opens it correctly in China: UTF-8 with a byte order mark, RFC 4180 quoting, CRLF
 * line ends, headers in the caller's language. Text cells that a spreadsheet would run as a
 * formula are prefixed with an apostrophe.
 */
public final class Csv {

    public static final String MEDIA_TYPE = "text/csv";
    private static final char BOM = '\uFEFF';

    private Csv() {}

    /** A header line, then the rows; null cells are empty. */
    public static String write(List<String> headers, List<List<Object>> rows) {
        StringBuilder out = new StringBuilder().append(BOM);
        line(out, List.copyOf(headers));
        rows.forEach(row -> line(out, row));
        return out.toString();
    }

    private static void line(StringBuilder out, List<Object> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (value instanceof CharSequence && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
