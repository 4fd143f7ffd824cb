package org.memshare.registry;

import java.util.Optional;
import org.memshare.segment.InvalidNameException;
import org.memshare.segment.internal.SegmentName;

/**
 * A variable's full name, {@code namespace.variable}, and the one rule for turning it into a segment
 * name: {@value #SEGMENT_PREFIX}{@code namespace.variable}. Both parts obey the rules for segment names; the
 * namespace also contains no {@code .}, so the segment name can be split back unambiguously.
 *
 * @param namespace the namespace
 * @param variable the variable's name inside the namespace
 */
public record QualifiedName(String namespace, String variable) {

    /** Prefix of every segment in this library's own format. */
    public static final String SEGMENT_PREFIX = "memshare.";

    /** Longest namespace, in UTF-8 bytes. */
    public static final int MAX_NAMESPACE_LENGTH = 64;

    /** Longest variable name, in UTF-8 bytes. */
    public static final int MAX_VARIABLE_LENGTH = 120;

    /**
     * Checks both parts.
     *
     * @throws InvalidNameException naming the invalid part, for an empty or too long part, a character
     *         not allowed in a segment name, or a namespace containing {@code '.'}
     * @throws NullPointerException naming the part that is null
     */
    public QualifiedName {
        validateNamespace(namespace);
        SegmentName.validate("variable name", variable);
        if (SegmentName.utf8Length(variable) > MAX_VARIABLE_LENGTH) {
            throw new InvalidNameException("variable name is too long: bytes=" + SegmentName.utf8Length(variable)
                + " (UTF-8), max=" + MAX_VARIABLE_LENGTH + ", namespace=" + namespace);
        }
    }

    /**
     * Checks a namespace on its own, as operations on a whole namespace do.
     *
     * @param namespace a namespace
     * @return the namespace, unchanged
     * @throws InvalidNameException when it is empty, longer than {@value #MAX_NAMESPACE_LENGTH} UTF-8 bytes,
     *         contains {@code '.'} or a character not allowed in a segment name
     * @throws NullPointerException when it is null
     */
    public static String validateNamespace(String namespace) {
        SegmentName.validate("namespace", namespace);
        if (SegmentName.utf8Length(namespace) > MAX_NAMESPACE_LENGTH) {
            throw new InvalidNameException("namespace is too long: bytes=" + SegmentName.utf8Length(namespace)
                + " (UTF-8), max=" + MAX_NAMESPACE_LENGTH);
        }
        if (namespace.indexOf('.') >= 0) {
            throw new InvalidNameException("namespace must not contain '.': namespace=" + namespace);
        }
        return namespace;
    }

    /**
     * The file name of the variable's segment in the segment directory.
     *
     * @return the name of the segment holding this variable
     */
    public String segmentName() {
        return SEGMENT_PREFIX + namespace + "." + variable;
    }

    /**
     * The variable a segment file holds, from its name alone (the file is not read).
     *
     * @param segmentName a file name in the segment directory
     * @return the variable it holds, if it is named like one of ours
     */
    public static Optional<QualifiedName> ofSegmentName(String segmentName) {
        if (!segmentName.startsWith(SEGMENT_PREFIX)) {
            return Optional.empty();
        }
        String rest = segmentName.substring(SEGMENT_PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || dot == rest.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new QualifiedName(rest.substring(0, dot), rest.substring(dot + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @return {@code namespace.variable}, as memshare's pageList and viewList print it */
    @Override
    public String toString() {
        return namespace + "." + variable;
    }
}
