package dev.falclient.bench;

import java.util.Arrays;

/**
 * The entry point of {@code benchmarks.jar}: {@code side-by-side [options]} runs {@link SideBySide};
 * {@code in-flight [key=value...]} (or no sub-command, as before) runs {@link InFlightBenchmark};
 * {@code upload [options]} runs {@link UploadBenchmark}.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        String command = args.length == 0 ? "" : args[0];
        switch (command) {
            case "side-by-side" -> SideBySide.main(rest);
            case "in-flight" -> InFlightBenchmark.main(rest);
            case "upload" -> UploadBenchmark.main(rest);
            default -> InFlightBenchmark.main(args);
        }
    }
}
