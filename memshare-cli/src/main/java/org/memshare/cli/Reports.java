package org.memshare.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.memshare.registry.SegmentCensus;
import org.memshare.segment.StoreKind;

/**
 * What the verbs print with {@code --json}: one record per result. The JSON field names are given
 * here and nowhere else (the Python command line writes the same names); fields appear in the order
 * of the record components. See {@link JsonOutput} for how values are encoded.
 */
public final class Reports {
    private Reports() {
    }

    /**
     * One segment, as {@code ls --json} and {@code gc --json} list it.
     *
     * @param namespace the variable's namespace
     * @param name the variable's name
     * @param kind {@code vector}, {@code matrix} or {@code list}; the state when the header cannot be read
     * @param type the element type ({@code double}, {@code int}, …); null for a list or when unknown
     * @param shape the dimensions (empty when unknown)
     * @param bytes the segment file's size
     * @param ownerPid the registering process (0 when unknown)
     * @param ownerAlive whether that process still runs; null when the layout records no owner
     * @param layout {@code memshare} or {@code r-memshare}
     * @param state {@code ready}, or why the segment is not usable ({@code pending}, {@code invalid},
     *     {@code incomplete}, {@code foreign}, {@code not-a-segment})
     * @param reason why a {@code foreign} or {@code not-a-segment} entry was refused, or whether an
     *     {@code incomplete} one (no header, owner unknown) is young or abandoned; left out otherwise
     * @param store which store serves the segment: {@code posix} or {@code file}
     */
    public record Segment(
        @JsonProperty("namespace") String namespace,
        @JsonProperty("name") String name,
        @JsonProperty("kind") String kind,
        @JsonProperty("type") String type,
        @JsonProperty("shape") List<Long> shape,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("owner_pid") long ownerPid,
        @JsonProperty("owner_alive") Boolean ownerAlive,
        @JsonProperty("layout") String layout,
        @JsonProperty("state") String state,
        @JsonProperty("reason") @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        @JsonProperty("store") String store) {

        /**
         * The report of a census entry.
         *
         * @param entry the segment
         * @param store the store it was found in
         * @return its report
         */
        public static Segment of(SegmentCensus.Entry entry, StoreKind store) {
            return new Segment(entry.name().namespace(), entry.name().variable(), kindLabel(entry),
                entry.elementType() == null ? null : entry.elementType().label(), entry.shape(), entry.bytes(),
                entry.owner().pid(),
                // R memshare's layout records no owner: unknown, not dead.
                entry.ownerKnown() ? entry.ownerAlive() : null,
                entry.layout().label(), entry.state().label(), entry.reason(), store.label());
        }

        /**
         * The kind of a census entry as {@code ls} shows it.
         *
         * @param entry the segment
         * @return its kind's label, or its state when the header cannot be read
         */
        public static String kindLabel(SegmentCensus.Entry entry) {
            return entry.kind() == null ? entry.state().label() : entry.kind().label();
        }
    }

    /**
     * A live variable, as {@code show --json} summarises it.
     *
     * @param kind {@code vector}, {@code matrix} or {@code list}
     * @param type the element type; null for a list
     * @param shape the dimensions
     * @param bytes the size of the data
     * @param layout the storage layout; only with {@code --r-layout}, left out otherwise
     * @param sum the sum of the non-missing values
     * @param min the smallest non-missing value; null when there is none
     * @param max the largest non-missing value; null when there is none
     * @param store which store serves the variable: {@code posix} or {@code file}
     * @param columns a matrix's column names; left out when it stores none
     */
    public record Summary(
        @JsonProperty("kind") String kind,
        @JsonProperty("type") String type,
        @JsonProperty("shape") List<Long> shape,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("layout") @JsonInclude(JsonInclude.Include.NON_NULL) String layout,
        @JsonProperty("sum") double sum,
        @JsonProperty("min") Double min,
        @JsonProperty("max") Double max,
        @JsonProperty("store") String store,
        @JsonProperty("columns") @JsonInclude(JsonInclude.Include.NON_NULL) List<String> columns) {
    }

    /**
     * One feature's score.
     *
     * @param name the column name
     * @param mi its mutual information with the target, in nats
     */
    public record Feature(
        @JsonProperty("name") String name,
        @JsonProperty("mi") double mi) {

        /**
         * The report of a score.
         *
         * @param score a ranked feature
         * @return its report
         */
        public static Feature of(FeatureRanking.Score score) {
            return new Feature(score.name(), score.mi());
        }
    }

    /**
     * What {@code select --json} prints.
     *
     * @param target the target column
     * @param features the features, highest mutual information first
     */
    public record Selection(
        @JsonProperty("target") String target,
        @JsonProperty("features") List<Feature> features) {
    }

    /**
     * What {@code demo --json} prints.
     *
     * @param features the top features, highest mutual information first
     * @param planted the names of the planted (informative) features
     * @param plantedFoundInTop how many planted features are among the top as many
     * @param wallSeconds the whole run, in seconds
     * @param rankSeconds the ranking alone, in seconds
     * @param perFeatureMillis ranking time per feature per worker thread, in milliseconds
     * @param peakPssBytes the peak total proportional set size of this process and its workers
     * @param dataBytes the size of the shared matrix
     */
    public record Demo(
        @JsonProperty("features") List<Feature> features,
        @JsonProperty("planted") List<String> planted,
        @JsonProperty("planted_found_in_top") long plantedFoundInTop,
        @JsonProperty("wall_s") double wallSeconds,
        @JsonProperty("rank_s") double rankSeconds,
        @JsonProperty("per_feature_ms") double perFeatureMillis,
        @JsonProperty("peak_pss_bytes") long peakPssBytes,
        @JsonProperty("data_bytes") long dataBytes) {
    }
}
