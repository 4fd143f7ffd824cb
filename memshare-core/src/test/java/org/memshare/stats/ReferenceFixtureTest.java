package org.memshare.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the R reference values must be reproduced: radius to 1e−9, MI to 1e−6 relative. */
class ReferenceFixtureTest {

    static Stream<Arguments> paretoRadiusRows() {
        return StatsFixtures.rows("expected_pareto_radius.csv").stream()
                .map(row -> Arguments.of(row[0], Integer.parseInt(row[1]), Double.parseDouble(row[2])));
    }

    static Stream<Arguments> mutualInformationRows() {
        return StatsFixtures.rows("expected_mi.csv").stream()
                .map(row -> Arguments.of(row[0], Integer.parseInt(row[1]), Boolean.parseBoolean(row[2].toLowerCase()),
                        Boolean.parseBoolean(row[3].toLowerCase()), Boolean.parseBoolean(row[4].toLowerCase()),
                        Double.parseDouble(row[5])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paretoRadiusRows")
    void paretoRadiusAgreesWithR(String name, int n, double expected) {
        double[] data = paretoRadiusInput(name, n);
        assertEquals(n, data.length, "fixture size");
        assertEquals(expected, ParetoRadius.of(data), 1e-9 * Math.abs(expected), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutualInformationRows")
    void mutualInformationAgreesWithR(String name, int n, boolean xDiscrete, boolean yDiscrete, boolean naRm,
                                      double expected) {
        double[] x = StatsFixtures.column(name + ".csv", 0);
        double[] y = StatsFixtures.column(name + ".csv", 1);
        assertEquals(n, x.length, "fixture size");
        double actual = MutualInformation.mutualinfo(x, y, xDiscrete, yDiscrete, MutualInformation.DEFAULT_EPS, naRm);
        assertEquals(expected, actual, 1e-6 * Math.abs(expected), name);
    }

    private static double[] paretoRadiusInput(String name, int n) {
        if (name.startsWith("seq1_")) {
            double[] sequence = new double[n];
            for (int i = 0; i < n; i++) {
                sequence[i] = i + 1;
            }
            return sequence;
        }
        if (name.equals("zeros_ones")) {
            double[] values = new double[n];
            for (int i = n / 2; i < n; i++) {
                values[i] = 1.0;
            }
            return values;
        }
        return StatsFixtures.column(name + ".csv", 0);
    }
}
