package cn.hongtong.testsupport;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Captures log records while open. Two taps: one on the application's own category
 * ({@code cn.hongtong}), which sees what our call sites wrote before any handler's filter ran, and
 * one on the root logger, which sees every line (libraries included) after the console filter.
 * The text of a record is its formatted message plus every exception message of its chain.
 */
public final class LogCapture implements AutoCloseable {

    private final Tap application = new Tap();
    private final Tap root = new Tap();

    private LogCapture() {
        Logger.getLogger("cn.hongtong").addHandler(application);
        Logger.getLogger("").addHandler(root);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Everything captured by both taps, one record per line. */
    public String text() {
        return application.text() + "\n" + root.text();
    }

    /** What the application's own call sites wrote, before any filter. */
    public String applicationText() {
        return application.text();
    }

    @Override
    public void close() {
        Logger.getLogger("cn.hongtong").removeHandler(application);
        Logger.getLogger("").removeHandler(root);
    }

    private static final class Tap extends Handler {

        private final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " ");
            line.append(message(record));
            for (Throwable t = record.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
                line.append(" | ").append(t);
            }
            lines.add(line.toString());
        }

        private static String message(LogRecord record) {
            if (record instanceof ExtLogRecord ext) {
                return ext.getFormattedMessage();
            }
            String message = record.getMessage();
            Object[] parameters = record.getParameters();
            return parameters == null || message == null
                    ? String.valueOf(message)
                    : MessageFormat.format(message, parameters);
        }

        synchronized String text() {
            return String.join("\n", lines);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
