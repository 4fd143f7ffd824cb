package org.memshare.segment.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.memshare.segment.InvalidNameException;

/**
 * The one rule for what may name a segment: a single file name inside the segment directory.
 *
 * <p>A valid name is non-empty, at most {@link #MAX_LENGTH} bytes in UTF-8 (file systems count bytes), contains no {@code /}, no
 * {@code \}, no {@code ..}, no control characters and does not start with {@code .}; so nothing a
 * caller passes can reach a path outside the directory. Higher layers build names from parts that
 * each obey this rule. The rules of the operating system this runs on come on top
 * ({@link OperatingSystem#validateName}: reserved device names and characters on Windows, say).
 */
public final class SegmentName {
    /** Longest accepted name in UTF-8 bytes; Linux allows 255 bytes for a file name, we keep room for prefixes. */
    public static final int MAX_LENGTH = 200;

    /** macOS's limit for {@code shm_open} names, the leading {@code /} included. */
    public static final int MACOS_MAX_LENGTH = 31;

    private SegmentName() {
    }

    /**
     * Checks {@code value} against the name rule.
     *
     * @param what what the value names, for the message (for example {@code "namespace"})
     * @param value the name to check
     * @return {@code value}, for chaining
     * @throws InvalidNameException naming {@code what} and the offending value when invalid
     * @throws NullPointerException when {@code value} is null
     */
    public static String validate(String what, String value) {
        if (value == null) {
            throw new NullPointerException(what + " must not be null");
        }
        if (value.isEmpty()) {
            throw new InvalidNameException(what + " must not be empty");
        }
        if (utf8Length(value) > MAX_LENGTH) {
            throw new InvalidNameException(what + " is too long: bytes=" + utf8Length(value)
                + " (UTF-8), max=" + MAX_LENGTH + ", " + what + "=" + abbreviate(value));
        }
        if (value.contains("/") || value.contains("\\")) {
            throw new InvalidNameException(what + " must not contain a path separator: "
                + what + "=\"" + printable(value) + "\"");
        }
        if (value.contains("..") || value.startsWith(".")) {
            throw new InvalidNameException(what + " must not contain \"..\" or start with \".\": "
                + what + "=\"" + printable(value) + "\"");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new InvalidNameException(what + " must not contain control characters: "
                    + what + "=\"" + printable(value) + "\", index=" + i);
            }
        }
        OperatingSystem.current().validateName(what, value);
        return value;
    }

    /**
     * Checks the macOS {@code shm_open} limit, which is much shorter than Linux's.
     *
     * @param fileName the complete segment name
     * @throws IllegalArgumentException when {@code "/" + fileName} exceeds 31 characters
     */
    public static void validateForMacOs(String fileName) {
        if (fileName.length() + 1 > MACOS_MAX_LENGTH) {
            throw new InvalidNameException("segment name too long for macOS shm_open: length="
                + (fileName.length() + 1) + " (leading '/' included), max=" + MACOS_MAX_LENGTH
                + ", name=" + fileName);
        }
    }

    /** @return the length of {@code value} in UTF-8, the unit in which file systems limit names */
    public static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? printable(value) : printable(value.substring(0, 40)) + "...";
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
