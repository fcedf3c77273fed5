package dev.falclient.emulator;

import java.time.Duration;

/** The argument checks of the emulator's builder and scripts, each failing with the same kind of message. */
final class Checks {

    private Checks() {
    }

    static Duration nonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0");
        }
        return d;
    }

    static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0");
        }
        return d;
    }

    static int atLeastZero(int n, String name) {
        if (n < 0) {
            throw new IllegalArgumentException(name + " must be >= 0");
        }
        return n;
    }

    static int atLeastOne(int n, String name) {
        return (int) atLeastOne((long) n, name);
    }

    static long atLeastOne(long n, String name) {
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be >= 1");
        }
        return n;
    }
}
