package org.emrsb.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Where a stream thread's time goes, from Kafka Streams' own thread metrics in this JVM's MBean server
 * ({@code kafka.streams:type=stream-thread-metrics}): the time it spent blocked on Kafka (polls, commits,
 * sends), and the share of its recent time in poll, process, commit and punctuate with the commit latency
 * (those are Kafka's sliding-window figures, about the last minute, so they include the end of the
 * warm-up).
 */
final class StreamThreadMetrics {

    private static final List<String> AT_END = List.of("process-ratio", "poll-ratio", "commit-ratio", "punctuate-ratio",
            "commit-latency-avg", "commit-latency-max", "commit-rate", "process-rate");

    private StreamThreadMetrics() {
    }

    /** blocked-time-ns-total per stream thread. */
    static Map<String, Double> blockedNanos() {
        Map<String, Double> out = new TreeMap<>();
        // A thread has more than one MBean (one also tagged with the process id, with fewer attributes).
        read((thread, server, name) -> {
            Double value = number(server, name, "blocked-time-ns-total");
            if (value != null) {
                out.put(thread, value);
            }
        });
        return out;
    }

    /** The end-of-run figures per stream thread. */
    static Map<String, Map<String, Double>> atEnd() {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        read((thread, server, name) -> {
            Map<String, Double> values = out.computeIfAbsent(thread, t -> new LinkedHashMap<>());
            for (String attribute : AT_END) {
                Double value = number(server, name, attribute);
                if (value != null || !values.containsKey(attribute)) {
                    values.merge(attribute, value == null ? Double.NaN : value, (a, b) -> Double.isNaN(b) ? a : b);
                }
            }
        });
        out.values().forEach(values -> values.replaceAll((k, v) -> v == null || v.isNaN() ? null : v));
        return out;
    }

    private interface Visitor {
        void visit(String thread, MBeanServer server, ObjectName name);
    }

    private static void read(Visitor visitor) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName name : server.queryNames(new ObjectName("kafka.streams:type=stream-thread-metrics,*"), null)) {
                visitor.visit(name.getKeyProperty("thread-id"), server, name);
            }
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Double number(MBeanServer server, ObjectName name, String attribute) {
        try {
            Object value = server.getAttribute(name, attribute);
            if (value instanceof Number n && !Double.isNaN(n.doubleValue()) && !Double.isInfinite(n.doubleValue())) {
                return n.doubleValue();
            }
        } catch (Exception e) {
            if (Boolean.getBoolean("emrsb.bench.debug")) {
                System.err.println("metric " + name + " " + attribute + ": " + e);
            }
        }
        return null;
    }
}
