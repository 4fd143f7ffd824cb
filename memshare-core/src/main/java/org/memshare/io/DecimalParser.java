package org.memshare.io;

import java.math.BigInteger;

/**
 * Decimal numbers in ASCII bytes to doubles without making a {@code String} per number: the values
 * are those of {@link Double#parseDouble}, bit for bit (the correctly rounded nearest double, −0.0
 * for a negative zero). It takes the plain decimal notation CSV writers use,
 * {@code [+-]digits[.digits][(e|E)[+-]digits]} (or {@code .digits}), with at most 19 significant
 * digits, and answers {@link #FALLBACK} for anything else (hex, a {@code d}/{@code f} suffix,
 * {@code NaN}, more digits, a result that is subnormal, infinite or exactly half-way between two
 * doubles), which the caller then gives to {@code Double.parseDouble}.
 *
 * <p>Two exact methods: Clinger's (a significand below 2<sup>53</sup> times or over a power of ten
 * up to 10<sup>22</sup>, both exact doubles, so one correctly rounded operation), and the
 * Eisel–Lemire method for the rest (the significand times a 128-bit truncation of the power of ten;
 * when the bits that decide the rounding could be off by the truncation, it declines).
 */
final class DecimalParser {
    /** The answer for text this class does not convert: a NaN that no decimal number gives. */
    static final long FALLBACK = -1L;

    /** Powers of ten that are exact doubles. */
    private static final double[] EXACT_POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    /** Decimal exponents the 128-bit table covers; beyond them a double is zero or infinite. */
    private static final int MIN_EXPONENT = -348;
    private static final int MAX_EXPONENT = 347;
    /** 10^q as a 128-bit significand rounded down (top bit set), made on first use of each q. */
    private static final Power[] POWERS = new Power[MAX_EXPONENT - MIN_EXPONENT + 1];
    private static final int MAX_DIGITS = 19;
    private static final long NEGATIVE_ZERO_BITS = Long.MIN_VALUE;

    private DecimalParser() {
    }

    /** A 128-bit significand: {@code hi} its upper 64 bits, {@code lo} the lower. Final fields: safe to share. */
    private record Power(long hi, long lo) {
    }

    /**
     * Converts {@code bytes[from, to)}.
     *
     * @param bytes ASCII text
     * @param from the first byte of the number
     * @param to the end of the number (exclusive)
     * @return the bits of the double ({@link Double#doubleToRawLongBits}), or {@link #FALLBACK}
     */
    static long parse(byte[] bytes, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
            negative = bytes[i] == '-';
            i++;
        }
        long significand = 0; // unsigned: up to 19 digits
        int digits = 0;
        int exponent = 0;
        boolean anyDigit = false;
        boolean point = false;
        for (; i < to; i++) {
            if (bytes[i] == '.' && !point) {
                point = true;
                continue;
            }
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            anyDigit = true;
            if (significand != 0 || d != 0) {
                if (digits == MAX_DIGITS) {
                    return FALLBACK;
                }
                significand = significand * 10 + d;
                digits++;
            }
            if (point) {
                exponent--; // a digit after the point
            }
        }
        if (!anyDigit) {
            return FALLBACK;
        }
        if (i < to && (bytes[i] | 0x20) == 'e') {
            i++;
            boolean negativeExponent = false;
            if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
                negativeExponent = bytes[i] == '-';
                i++;
            }
            int start = i;
            int written = 0;
            for (; i < to; i++) {
                int d = bytes[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                if (written < 100_000) { // far beyond any double; more digits only overflow
                    written = written * 10 + d;
                }
            }
            if (i == start) {
                return FALLBACK;
            }
            exponent += negativeExponent ? -written : written;
        }
        if (i != to) {
            return FALLBACK;
        }
        if (significand == 0) {
            return negative ? NEGATIVE_ZERO_BITS : 0;
        }
        if (significand > 0 && significand <= 1L << 53 && exponent >= -22 && exponent <= 22) {
            double value = exponent < 0 ? significand / EXACT_POWERS[-exponent] : significand * EXACT_POWERS[exponent];
            return Double.doubleToRawLongBits(negative ? -value : value);
        }
        return eiselLemire(significand, exponent, negative);
    }

    /**
     * The Eisel–Lemire method: the nearest double to {@code significand × 10^exponent}, or
     * {@link #FALLBACK} when the truncated power leaves the rounding undecided, the number is exactly
     * half-way, or the result would be subnormal or infinite.
     */
    private static long eiselLemire(long significand, int exponent, boolean negative) {
        if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
            return FALLBACK;
        }
        int leadingZeros = Long.numberOfLeadingZeros(significand);
        long man = significand << leadingZeros;
        // floor(exponent × log2(10)) + 64 + the double's exponent bias, less the normalisation shift.
        long binaryExponent = ((217_706L * exponent) >> 16) + 64 + 1023 - leadingZeros;
        Power power = power(exponent);
        long hi = Math.unsignedMultiplyHigh(man, power.hi());
        long lo = man * power.hi();
        if ((hi & 0x1FF) == 0x1FF && Long.compareUnsigned(lo + man, man) < 0) {
            // The bits below the result's could carry into it: widen with the power's lower half.
            long yHi = Math.unsignedMultiplyHigh(man, power.lo());
            long yLo = man * power.lo();
            long mergedHi = hi;
            long mergedLo = lo + yHi;
            if (Long.compareUnsigned(mergedLo, lo) < 0) {
                mergedHi++;
            }
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo == -1L && Long.compareUnsigned(yLo + man, man) < 0) {
                return FALLBACK;
            }
            hi = mergedHi;
            lo = mergedLo;
        }
        long top = hi >>> 63;
        long mantissa = hi >>> (top + 9);
        binaryExponent -= 1 ^ top;
        if (lo == 0 && (hi & 0x1FF) == 0 && (mantissa & 3) == 1) {
            return FALLBACK; // half-way: the tie-breaking needs the exact value
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >>> 53 > 0) {
            mantissa >>>= 1;
            binaryExponent++;
        }
        if (binaryExponent <= 0 || binaryExponent >= 0x7FF) {
            return FALLBACK; // subnormal or infinite
        }
        long bits = binaryExponent << 52 | mantissa & 0x000F_FFFF_FFFF_FFFFL;
        return negative ? bits | Long.MIN_VALUE : bits;
    }

    private static Power power(int exponent) {
        int index = exponent - MIN_EXPONENT;
        Power power = POWERS[index];
        if (power == null) {
            power = exactPower(exponent);
            POWERS[index] = power; // a race only computes the same value twice
        }
        return power;
    }

    /** The top 128 bits of 10^exponent, rounded down: for a negative exponent, of 2^k / 10^−exponent. */
    private static Power exactPower(int exponent) {
        BigInteger significand;
        if (exponent >= 0) {
            BigInteger value = BigInteger.TEN.pow(exponent);
            int excess = value.bitLength() - 128;
            significand = excess >= 0 ? value.shiftRight(excess) : value.shiftLeft(-excess);
        } else {
            BigInteger divisor = BigInteger.TEN.pow(-exponent);
            // 2^(bits + 127) / divisor lies in (2^127, 2^128]: never 2^128, a power of ten not being one of two.
            significand = BigInteger.ONE.shiftLeft(divisor.bitLength() + 127).divide(divisor);
        }
        return new Power(significand.shiftRight(64).longValue(), significand.longValue());
    }
}
