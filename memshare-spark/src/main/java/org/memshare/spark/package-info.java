/**
 * memshare on Apache Spark: {@code memApply} and {@code memLapply} over a matrix or list that lives
 * once per host in shared memory, viewed zero-copy by every executor JVM on that host (and by any
 * Python or R process there). Entry points: {@link org.memshare.spark.SparkApply} and
 * {@link org.memshare.spark.SparkShare}.
 */
package org.memshare.spark;
