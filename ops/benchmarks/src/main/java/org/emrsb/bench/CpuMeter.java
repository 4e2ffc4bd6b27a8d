package org.emrsb.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where the CPU went between two instants: this JVM (as a whole, and per Java thread, grouped by a
 * naming rule), the machine (/proc/stat), and other processes named by pid (the broker, the IPFS node,
 * the registry; /proc/PID/stat). JVM-internal threads (GC, JIT, RocksDB's native threads) are not Java
 * threads: they are the process total minus the Java threads.
 */
final class CpuMeter {

    /** Linux clock ticks per second for /proc (USER_HZ); ops/bench passes getconf CLK_TCK. */
    private static final long TICKS = Long.getLong("emrsb.bench.clk-tck", 100);

    record Snapshot(long wallNanos, long processCpuNanos, Map<Long, String> threadNames, Map<Long, Long> threadCpu,
            long machineBusyTicks, long machineTotalTicks, Map<String, Long> otherTicks, long gcMillis, long gcCount,
            long compilationMillis, Map<String, Long> nativeTicks) {
    }

    /** CPU used between two snapshots, in seconds of one core. */
    record Usage(double wallSeconds, double processCpu, Map<String, Double> byGroup, Map<String, Double> byThread,
            double unattributed,
            double machineBusy, double machineTotal, Map<String, Double> others, double gcSeconds, long gcCount,
            double compilationSeconds, Map<String, Double> nativeThreads) {

        /** Average cores busy over the interval. */
        double cores(double cpuSeconds) {
            return cpuSeconds / wallSeconds;
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<String, Path> otherPids;

    /** @param otherPids other processes to watch, by label: their pid files */
    CpuMeter(Map<String, Path> otherPids) {
        this.otherPids = otherPids;
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    Snapshot take() {
        long wall = System.nanoTime();
        long process = os.getProcessCpuTime();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long time = threads.getThreadCpuTime(ids[i]);
            if (infos[i] != null && time >= 0) {
                names.put(ids[i], infos[i].getThreadName());
                cpu.put(ids[i], time);
            }
        }
        long[] machine = machineTicks();
        Map<String, Long> others = new LinkedHashMap<>();
        otherPids.forEach((label, file) -> {
            long ticks = processTicks(file);
            if (ticks >= 0) {
                others.put(label, ticks);
            }
        });
        long gcMillis = 0;
        long gcCount = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
            gcCount += Math.max(0, gc.getCollectionCount());
        }
        var jit = ManagementFactory.getCompilationMXBean();
        long compilation = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        return new Snapshot(wall, process, names, cpu, machine[0], machine[1], others, gcMillis, gcCount, compilation,
                nativeThreadTicks());
    }

    /** The CPU between {@code a} and {@code b}; Java threads grouped by {@code group} (thread name to group). */
    static Usage between(Snapshot a, Snapshot b, Function<String, String> group) {
        Map<String, Double> byGroup = new TreeMap<>();
        Map<String, Double> byThread = new TreeMap<>();
        double javaThreads = 0;
        for (Map.Entry<Long, Long> e : b.threadCpu().entrySet()) {
            long before = a.threadCpu().getOrDefault(e.getKey(), 0L);
            double seconds = Math.max(0, e.getValue() - before) / 1e9;
            javaThreads += seconds;
            String name = b.threadNames().get(e.getKey());
            byGroup.merge(group.apply(name), seconds, Double::sum);
            byThread.merge(String.valueOf(name), seconds, Double::sum);
        }
        double process = (b.processCpuNanos() - a.processCpuNanos()) / 1e9;
        Map<String, Double> others = new LinkedHashMap<>();
        b.otherTicks().forEach((label, ticks) -> {
            Long before = a.otherTicks().get(label);
            if (before != null) {
                others.put(label, (ticks - before) / (double) TICKS);
            }
        });
        return new Usage((b.wallNanos() - a.wallNanos()) / 1e9, process, byGroup, byThread,
                Math.max(0, process - javaThreads),
                (b.machineBusyTicks() - a.machineBusyTicks()) / (double) TICKS,
                (b.machineTotalTicks() - a.machineTotalTicks()) / (double) TICKS, others,
                (b.gcMillis() - a.gcMillis()) / 1e3, b.gcCount() - a.gcCount(),
                (b.compilationMillis() - a.compilationMillis()) / 1e3, nativeBetween(a, b));
    }

    private static Map<String, Double> nativeBetween(Snapshot a, Snapshot b) {
        Map<String, Double> out = new TreeMap<>();
        b.nativeTicks().forEach((group, ticks) -> out.put(group,
                (ticks - a.nativeTicks().getOrDefault(group, 0L)) / (double) TICKS));
        return out;
    }

    /**
     * CPU ticks of this process's threads that are not Java threads, by kind, from /proc/self/task (the
     * JIT compilers, the garbage collector, RocksDB's flush and compaction threads, the VM thread). A
     * thread that ended between two snapshots takes its ticks with it, so these are lower bounds.
     */
    private static Map<String, Long> nativeThreadTicks() {
        Map<String, Long> ticks = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String kind = nativeKind(comm);
                if (kind == null) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.merge(kind, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: the JVM-internal CPU stays one figure
        }
        return ticks;
    }

    private static String nativeKind(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return "JIT compiler threads";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "garbage collector threads";
        }
        if (comm.startsWith("rocksdb")) {
            return "RocksDB background threads";
        }
        if (comm.startsWith("VM ")) {
            return "VM threads";
        }
        return null;
    }

    /** busy and total ticks of all CPUs from /proc/stat; zeros where there is no /proc. */
    private static long[] machineTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            long idle = 0;
            // user nice system idle iowait irq softirq steal (guest time is already in user)
            for (int i = 1; i <= 8 && i < f.length; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** utime + stime of the process whose pid the file holds, in ticks; -1 if unknown. */
    private static long processTicks(Path pidFile) {
        try {
            String pid = Files.readString(pidFile).trim();
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based) -> indexes 11, 12
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The 1-minute load average, or -1. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
