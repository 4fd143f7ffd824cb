package org.memshare.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DecimalParser} gives {@link Double#parseDouble}'s value bit for bit, or declines: on the
 * hard cases of decimal conversion (half-way points, the edges of the exponent range, 2^53, long
 * significands) and on millions of random numbers in the forms writers produce.
 */
class DecimalParserTest {
    /** Checks one text; returns whether the parser converted it (rather than declining). */
    private static boolean check(String text) {
        byte[] bytes = ("#" + text + "#").getBytes(StandardCharsets.US_ASCII);
        long bits = DecimalParser.parse(bytes, 1, bytes.length - 1);
        Double expected;
        try {
            expected = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            expected = null;
        }
        if (bits == DecimalParser.FALLBACK) {
            return false;
        }
        if (expected == null) {
            fail("converted what Double.parseDouble refuses: text=\"" + text + "\", bits=" + Long.toHexString(bits));
        }
        long expectedBits = Double.doubleToRawLongBits(expected);
        if (bits != expectedBits) {
            fail("text=\"" + text + "\": expected " + expected + " (" + Long.toHexString(expectedBits) + "), got "
                + Double.longBitsToDouble(bits) + " (" + Long.toHexString(bits) + ")");
        }
        return true;
    }

    @Test
    void hardCasesAreExactOrDeclined() {
        List<String> texts = List.of("0", "-0", "+0", "-0.0", "0.0", "000", "-000.000e5", ".5", "5.", "-.5e-3", "+.5",
            "1", "-1", "1e22", "1e23", "8.41e21", "9.5e-5", "0000.0001", "1E+05", "1e-05", "1.5E0",
            "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995", "18014398509481985",
            "4.9e-324", "2.4703282292062327e-324", "2.2250738585072014E-308", "2.2250738585072011e-308",
            "2.225073858507201e-308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "9999999999999999999", "999999999999999999", "1000000000000000000", "18446744073709551615",
            "12345678901234567890", "0.1", "0.2", "0.3", "0.30000000000000004", "3.141592653589793",
            "2.718281828459045", "1.0E-5", "123456.789e-3", "7.205759403792794e16", "1e308", "1e309", "1e-324",
            "1e-400", "1e99999999999", "1e-99999999999", "1e", "e5", ".", "-", "+", "", "1.2.3", "1e+", "1e-",
            "1_000", "0x1p3", "1d", "1f", "1.5D", "NaN", "Infinity", "-Infinity", "NA", "Inf", " 1", "1 ", "--1",
            "+-1", "1e5.5", "1ee5", "0.000000000000000000000000000001", "100000000000000000000000",
            "123456789012345678901234567890", "0.1234567890123456789", "-0.12345678901234567");
        for (String text : texts) {
            check(text);
        }
        // The common forms are converted, not declined.
        for (String text : List.of("0", "-0.0", "0.1", "-1.2345678901234567", "3.4e-7", "1E+05", "0.30000000000000004",
            "1.7976931348623157e308", "2.2250738585072014E-308")) {
            assertTrue(check(text), text);
        }
    }

    @Test
    void halfWayPointsAndTheirNeighboursAreExactOrDeclined() {
        SplittableRandom random = new SplittableRandom(3);
        for (int k = 0; k < 20_000; k++) {
            double d = randomFinite(random);
            BigDecimal low = new BigDecimal(d);
            BigDecimal high = new BigDecimal(Math.nextUp(d));
            BigDecimal middle = low.add(high).divide(BigDecimal.valueOf(2));
            check(middle.toString());
            // 17 to 19 significant digits just below, at and just above the half-way point.
            for (int digits = 17; digits <= 19; digits++) {
                String rounded = middle.round(new MathContext(digits)).toString();
                check(rounded);
                BigDecimal ulp = middle.round(new MathContext(digits)).ulp();
                check(middle.round(new MathContext(digits)).add(ulp).toString());
                check(middle.round(new MathContext(digits)).subtract(ulp).toString());
            }
        }
    }

    @Test
    void randomDoublesInWritersFormsAreExact() {
        SplittableRandom random = new SplittableRandom(5);
        int converted = 0;
        int total = 0;
        for (int k = 0; k < 300_000; k++) {
            double d = k % 2 == 0 ? randomFinite(random) : random.nextGaussian() * Math.pow(10, random.nextInt(-8, 9));
            String[] forms = {Double.toString(d), String.format(Locale.ROOT, "%.17g", d),
                String.format(Locale.ROOT, "%.6f", d), String.format(Locale.ROOT, "%.15e", d),
                Double.isFinite(d) && Math.abs(d) < 1e30 && Math.abs(d) > 1e-30 ? new BigDecimal(d).round(
                    new MathContext(1 + random.nextInt(19))).toPlainString() : "1"};
            for (int f = 0; f < forms.length; f++) {
                boolean done = check(forms[f]);
                if (k % 2 == 1 && f == 0) {
                    total++;
                    converted += done ? 1 : 0;
                }
            }
        }
        // Data as Java writes it is converted, not declined: the fallback is for half-way points, more
        // than 19 digits (%.6f of 1e300) and subnormal or extreme values.
        assertTrue(converted > 0.999 * total, "converted " + converted + " of " + total);
    }

    @Test
    void randomDigitStringsAreExactOrDeclined() {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < 1_000_000; k++) {
            text.setLength(0);
            if (random.nextInt(4) == 0) {
                text.append(random.nextBoolean() ? '-' : '+');
            }
            int digits = 1 + random.nextInt(21);
            int point = random.nextInt(digits + 2) - 1;
            for (int i = 0; i < digits; i++) {
                if (i == point) {
                    text.append('.');
                }
                text.append((char) ('0' + (i == 0 && random.nextInt(3) == 0 ? 0 : random.nextInt(10))));
            }
            if (random.nextBoolean()) {
                text.append(random.nextBoolean() ? 'e' : 'E').append(random.nextInt(-360, 360));
            }
            check(text.toString());
        }
    }

    @Test
    void exponentsAcrossTheWholeRangeAreExactOrDeclined() {
        SplittableRandom random = new SplittableRandom(11);
        for (int exponent = -360; exponent <= 360; exponent++) {
            for (int k = 0; k < 200; k++) {
                long significand = random.nextLong(1, Long.MAX_VALUE) >>> random.nextInt(63);
                check(significand + "e" + exponent);
                check("0." + significand + "e" + exponent);
            }
            check("1e" + exponent);
            check("9999999999999999999e" + exponent);
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), DecimalParser.parse("-0".getBytes(StandardCharsets.US_ASCII), 0, 2));
    }

    private static double randomFinite(SplittableRandom random) {
        while (true) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) {
                return d;
            }
        }
    }
}
