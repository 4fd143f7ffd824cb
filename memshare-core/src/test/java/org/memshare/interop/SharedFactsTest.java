package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.internal.RMemshareLayout;
import org.memshare.format.internal.SegmentLayout;
import org.memshare.registry.QualifiedName;
import org.memshare.segment.internal.SegmentName;

/**
 * The Python module restates the layouts and the name rule; this test fails when the two sides drift
 * apart: every constant is compared, and a table of names is judged by both.
 */
class SharedFactsTest {

    @Test
    void layoutConstantsAreTheSameInPython() {
        String out = Python.run("""
            import memshare as m
            names = ["FORMAT_VERSION", "ALIGNMENT", "MAGIC_OFFSET", "VERSION_OFFSET", "KIND_OFFSET",
                     "ELEMENT_TYPE_OFFSET", "DATA_OFFSET_OFFSET", "DIM0_OFFSET", "DIM1_OFFSET", "DATA_BYTES_OFFSET",
                     "OWNER_PID_OFFSET", "OWNER_START_OFFSET", "CREATED_OFFSET", "HEADER_BYTES", "ENTRY_KIND_OFFSET",
                     "ENTRY_ELEMENT_TYPE_OFFSET", "ENTRY_DIM0_OFFSET", "ENTRY_DIM1_OFFSET", "ENTRY_DATA_OFFSET_OFFSET",
                     "ENTRY_BYTES_OFFSET", "ENTRY_BYTES", "MIN_FORMAT_VERSION", "NAMES_OFFSET_OFFSET",
                     "NAMES_BYTES_OFFSET", "NAMES_COUNT_OFFSET", "NAME_LENGTH_BYTES", "MAX_COLUMN_NAME_BYTES", "MAX_NAME_LENGTH", "MAX_NAMESPACE_LENGTH", "MAX_VARIABLE_LENGTH",
                     "R_TYPE_MATRIX", "R_TYPE_VECTOR", "R_TYPE_LIST", "R_RECORD_BYTES"]
            for n in names:
                print(n, getattr(m, n))
            print("MAGIC_READY", m.MAGIC_READY.decode())
            print("MAGIC_PENDING", m.MAGIC_PENDING.decode())
            print("SEGMENT_PREFIX", m.SEGMENT_PREFIX)
            print("R_METADATA_INFIX", m.R_METADATA_INFIX)
            print("KINDS", m.KIND_VECTOR, m.KIND_MATRIX, m.KIND_LIST, m.KIND_RAW)
            print("TYPES", " ".join("%d:%s:%d" % (c, m.TYPE_LABELS[c], m.DTYPES[c].itemsize) for c in sorted(m.DTYPES)))
            """).ok();
        List<String> expected = new ArrayList<>(List.of(
            "FORMAT_VERSION " + SegmentLayout.FORMAT_VERSION, "ALIGNMENT " + SegmentLayout.ALIGNMENT,
            "MAGIC_OFFSET " + SegmentLayout.MAGIC_OFFSET, "VERSION_OFFSET " + SegmentLayout.VERSION_OFFSET,
            "KIND_OFFSET " + SegmentLayout.KIND_OFFSET, "ELEMENT_TYPE_OFFSET " + SegmentLayout.ELEMENT_TYPE_OFFSET,
            "DATA_OFFSET_OFFSET " + SegmentLayout.DATA_OFFSET_OFFSET, "DIM0_OFFSET " + SegmentLayout.DIM0_OFFSET,
            "DIM1_OFFSET " + SegmentLayout.DIM1_OFFSET, "DATA_BYTES_OFFSET " + SegmentLayout.DATA_BYTES_OFFSET,
            "OWNER_PID_OFFSET " + SegmentLayout.OWNER_PID_OFFSET, "OWNER_START_OFFSET " + SegmentLayout.OWNER_START_OFFSET,
            "CREATED_OFFSET " + SegmentLayout.CREATED_OFFSET, "HEADER_BYTES " + SegmentLayout.HEADER_BYTES,
            "ENTRY_KIND_OFFSET " + SegmentLayout.ENTRY_KIND_OFFSET,
            "ENTRY_ELEMENT_TYPE_OFFSET " + SegmentLayout.ENTRY_ELEMENT_TYPE_OFFSET,
            "ENTRY_DIM0_OFFSET " + SegmentLayout.ENTRY_DIM0_OFFSET, "ENTRY_DIM1_OFFSET " + SegmentLayout.ENTRY_DIM1_OFFSET,
            "ENTRY_DATA_OFFSET_OFFSET " + SegmentLayout.ENTRY_DATA_OFFSET_OFFSET,
            "ENTRY_BYTES_OFFSET " + SegmentLayout.ENTRY_BYTES_OFFSET, "ENTRY_BYTES " + SegmentLayout.ENTRY_BYTES,
            "MIN_FORMAT_VERSION " + SegmentLayout.MIN_FORMAT_VERSION,
            "NAMES_OFFSET_OFFSET " + SegmentLayout.NAMES_OFFSET_OFFSET, "NAMES_BYTES_OFFSET " + SegmentLayout.NAMES_BYTES_OFFSET,
            "NAMES_COUNT_OFFSET " + SegmentLayout.NAMES_COUNT_OFFSET, "NAME_LENGTH_BYTES " + SegmentLayout.NAME_LENGTH_BYTES,
            "MAX_COLUMN_NAME_BYTES " + SegmentLayout.MAX_COLUMN_NAME_BYTES,
            "MAX_NAME_LENGTH " + SegmentName.MAX_LENGTH, "MAX_NAMESPACE_LENGTH " + QualifiedName.MAX_NAMESPACE_LENGTH,
            "MAX_VARIABLE_LENGTH " + QualifiedName.MAX_VARIABLE_LENGTH,
            "R_TYPE_MATRIX " + RMemshareLayout.TYPE_MATRIX, "R_TYPE_VECTOR " + RMemshareLayout.TYPE_VECTOR,
            "R_TYPE_LIST " + RMemshareLayout.TYPE_LIST, "R_RECORD_BYTES " + RMemshareLayout.RECORD_BYTES,
            "MAGIC_READY MEMSHARE", "MAGIC_PENDING MEMSHPND",
            "SEGMENT_PREFIX " + QualifiedName.SEGMENT_PREFIX, "R_METADATA_INFIX " + RMemshareLayout.METADATA_INFIX,
            "KINDS " + Kind.VECTOR.code() + " " + Kind.MATRIX.code() + " " + Kind.LIST.code() + " " + Kind.RAW.code()));
        StringBuilder types = new StringBuilder("TYPES");
        for (ElementType type : ElementType.values()) {
            types.append(' ').append(type.code()).append(':').append(type.label()).append(':').append(type.byteSize());
        }
        expected.add(types.toString());
        assertEquals(expected, out.lines().toList());
        assertEquals(SegmentLayout.MAGIC_READY, littleEndian("MEMSHARE"));
        assertEquals(SegmentLayout.MAGIC_PENDING, littleEndian("MEMSHPND"));
    }

    private static long littleEndian(String ascii) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | ascii.charAt(i);
        }
        return value;
    }

    /** Namespace and variable pairs that either side must accept or refuse alike. */
    private static final List<String[]> NAMES = List.of(
        new String[] {"ns", "x"}, new String[] {"ns", "my.var"}, new String[] {"n.s", "x"}, new String[] {"ns", "../x"},
        new String[] {"ns", ".hidden"}, new String[] {"ns", "a/b"}, new String[] {"ns", "a\\b"},
        new String[] {"ns", "tab\tname"}, new String[] {"", "x"}, new String[] {"ns", ""},
        new String[] {"n".repeat(64), "x"}, new String[] {"n".repeat(65), "x"},
        new String[] {"ns", "v".repeat(120)}, new String[] {"ns", "v".repeat(121)},
        new String[] {"ns", "\u00e9".repeat(60)}, new String[] {"ns", "\u00e9".repeat(61)},
        new String[] {"ns", "\u6f22".repeat(40)}, new String[] {"ns", "\u6f22".repeat(41)},
        new String[] {"ns", "ok-name_1"}, new String[] {"ns", "line\u2028sep"});

    @Test
    void bothSidesJudgeNamesAlike() {
        StringBuilder script = new StringBuilder("import memshare as m\npairs = [\n");
        List<String> expected = new ArrayList<>();
        for (String[] pair : NAMES) {
            script.append("    (").append(pythonString(pair[0])).append(", ").append(pythonString(pair[1])).append("),\n");
            boolean valid;
            try {
                new QualifiedName(pair[0], pair[1]);
                valid = true;
            } catch (IllegalArgumentException e) {
                valid = false;
            }
            expected.add(valid ? "valid" : "invalid");
        }
        script.append("""
            ]
            for ns, var in pairs:
                try:
                    m.segment_name(ns, var)
                    print("valid")
                except ValueError:
                    print("invalid")
            """);
        assertEquals(expected, Python.run(script.toString()).ok().lines().toList());
        assertEquals(List.of("valid", "valid", "invalid"), expected.subList(0, 3), "the table exercises both outcomes");
    }

    private static String pythonString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            out.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append('"').toString();
    }
}
