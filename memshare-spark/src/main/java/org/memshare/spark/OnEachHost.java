package org.memshare.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkContext;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * One task on each of some hosts, placed there by Spark's locality preference; hosts a round missed
 * (the scheduler placed the task elsewhere) get another round.
 */
final class OnEachHost {
    private static final int MAX_ROUNDS = 5;

    /** What a task does on its host, with that executor's {@link HostCopies}. */
    @FunctionalInterface
    interface HostWork extends Serializable {
        void run(HostCopies copies);
    }

    private OnEachHost() {
    }

    /** @return the hosts no task reached */
    static Set<String> run(SparkContext sc, Set<String> hosts, HostWork work) {
        Set<String> pending = new LinkedHashSet<>(hosts);
        for (int round = 0; round < MAX_ROUNDS && !pending.isEmpty(); round++) {
            List<Tuple2<String, Seq<String>>> placed = new ArrayList<>();
            for (String host : pending) {
                placed.add(new Tuple2<>(host, CollectionConverters.asScala(List.of(host)).toList()));
            }
            ClassTag<String> tag = ClassTag$.MODULE$.apply(String.class);
            List<String> reached = sc.makeRDD(CollectionConverters.asScala(placed).toSeq(), tag).toJavaRDD()
                .map(host -> {
                    work.run(HostCopies.get());
                    return HostCopies.host();
                })
                .collect();
            pending.removeAll(reached);
        }
        return pending;
    }
}
