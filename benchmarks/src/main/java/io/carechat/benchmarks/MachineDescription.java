package io.carechat.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** Names the machine and JDK a run measured on, for the report. Stateless and thread-safe. */
public final class MachineDescription {
    private MachineDescription() {}

    /**
     * @return e.g. "2 cores, 23.4 GiB memory, Linux 6.1 (amd64), JDK 17.0.12 (Eclipse Adoptium), load
     *     average 0.4 at the start"; the load average shows whether other work shared the machine
     */
    public static String describe() {
        String memory = "unknown memory";
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = String.format(Locale.ROOT, "%.1f GiB memory", os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String loadText = load < 0 ? "" : String.format(Locale.ROOT, ", load average %.1f at the start", load);
        return String.format(Locale.ROOT, "%d cores, %s, %s %s (%s), JDK %s (%s)%s",
                Runtime.getRuntime().availableProcessors(), memory, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"),
                System.getProperty("java.runtime.version", System.getProperty("java.version")),
                System.getProperty("java.vendor"), loadText);
    }
}
