package org.memshare.cli;

import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * A failure as the user reads it: one line, what went wrong and where ({@code key=value}), without
 * Java class names. {@code --debug} prints the stack trace besides.
 */
final class FailureMessage {
    /** A qualified class name heading a message, as {@code Throwable.toString()} writes one. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");
    private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\R\\s*");

    private FailureMessage() {
    }

    static String of(Throwable failure) {
        Throwable shown = unwrap(failure);
        String message = switch (shown) {
            case NoSuchFileException e -> "no such file: path=" + e.getFile();
            case AccessDeniedException e -> "permission denied: path=" + e.getFile();
            case FileSystemException e -> (e.getReason() == null ? "cannot access file" : e.getReason()) + ": path=" + e.getFile();
            case OutOfMemoryError e -> "out of memory: give the JVM more with MEMSHARE_JAVA_OPTS=-Xmx…";
            case LinkageError e -> "a class of memshare cannot be loaded (was the jar rebuilt while running?): "
                + e.getMessage();
            case NullPointerException e -> "internal error (--debug shows where): " + e.getMessage();
            default -> shown.getMessage();
        };
        if (message == null || message.isBlank()) {
            message = "unexpected failure without a message (--debug shows where)";
        }
        // A file-system cause says what the system refused ("Permission denied"): keep it in the line.
        if (shown.getCause() instanceof FileSystemException cause) {
            String reason = of(cause);
            if (!message.contains(reason)) {
                message += " (" + reason + ")";
            }
        }
        message = CLASS_NAME.matcher(message).replaceAll("");
        return LINE_BREAKS.matcher(message).replaceAll(" ").strip();
    }

    /** Wrappers whose own message is only their cause's {@code toString()} are skipped. */
    private static Throwable unwrap(Throwable failure) {
        Throwable shown = failure;
        while (shown.getCause() != null && isWrapper(shown)
            && (shown.getMessage() == null || shown.getMessage().equals(shown.getCause().toString()))) {
            shown = shown.getCause();
        }
        return shown;
    }

    private static boolean isWrapper(Throwable failure) {
        return failure instanceof UncheckedIOException || failure instanceof CompletionException
            || failure instanceof ExecutionException || failure instanceof UndeclaredThrowableException
            || failure instanceof InvocationTargetException || failure.getClass() == RuntimeException.class;
    }
}
