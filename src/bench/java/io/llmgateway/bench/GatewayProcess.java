package io.llmgateway.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link GatewayMain} in a child JVM, with its thread count and heap read from outside ({@code /proc}, jcmd). */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private final Process process;
    private final URI base;

    GatewayProcess(String mockUrl, Path envFile) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        process = new ProcessBuilder(List.of(java.toString(), "-Xms1g", "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), GatewayMain.class.getName(), mockUrl, envFile.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
            System.out.println("gateway: " + line);
        }
        if (line == null) {
            throw new IllegalStateException("the gateway process ended before it listened");
        }
        base = URI.create("http://127.0.0.1:" + line.substring(5).strip() + "/");
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    /** Live threads of the gateway JVM (all of them: Jetty, Apache I/O, JVM housekeeping). */
    int threads() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).strip());
            }
        }
        throw new IllegalStateException("no thread count for " + process.pid());
    }

    /**
     * Bytes of live objects: the total of a class histogram, which runs a full GC first. G1's "used" after a full
     * GC is no measure of them: it also counts the dead objects of regions it chose not to compact (up to 5 % of
     * each, MarkSweepDeadRatio) and the partly filled regions compaction leaves behind. Read both ways at 2,000
     * open streams, "used" was 1.8 to 3.4 KB per stream above the live total, and two full GCs a second apart
     * disagreed by 3 MB.
     */
    long liveHeapBytes() throws Exception {
        Matcher total = TOTAL.matcher(jcmd("GC.class_histogram"));
        if (!total.find()) {
            throw new IllegalStateException("jcmd GC.class_histogram printed no 'Total'");
        }
        return Long.parseLong(total.group(1));
    }

    private String jcmd(String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        run.waitFor();
        return output;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
