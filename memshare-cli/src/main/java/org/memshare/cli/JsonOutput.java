package org.memshare.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The JSON that {@code --json} prints, written by Jackson: one compact document on one line. Doubles
 * keep full precision ({@link Double#toString(double)}); NaN and the infinities, which JSON cannot
 * represent, are written as {@code null}; characters outside ASCII are escaped ({@code \u00e9}), so
 * the output reads the same whatever the terminal's encoding. The field names are those of the records
 * in {@link Reports}.
 */
public final class JsonOutput {
    private static final ObjectWriter WRITER = JsonMapper.builder()
        .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
        .addModule(new SimpleModule("memshare-non-finite-as-null")
            .addSerializer(Double.class, new NonFiniteAsNull())
            .addSerializer(Double.TYPE, new NonFiniteAsNull()))
        .build()
        .writer();

    private JsonOutput() {
    }

    /**
     * Encodes a value.
     *
     * @param value a record of {@link Reports}, a map, a list, a string, a number, a boolean or null
     * @return the compact JSON text, without a line break
     * @throws IllegalArgumentException when the value cannot be written as JSON
     */
    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Prints a value as one line of JSON and flushes.
     *
     * @param out standard output
     * @param value what to print, as for {@link #write(Object)}
     */
    public static void print(PrintWriter out, Object value) {
        out.println(write(value));
        out.flush();
    }

    /** JSON has no NaN or infinity: such a double is written as null (Python reads None). */
    private static final class NonFiniteAsNull extends StdSerializer<Double> {
        private static final long serialVersionUID = 1L;

        NonFiniteAsNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (Double.isFinite(value)) {
                generator.writeNumber(value);
            } else {
                generator.writeNull();
            }
        }
    }
}
