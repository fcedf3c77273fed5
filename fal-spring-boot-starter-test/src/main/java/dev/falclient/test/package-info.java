/**
 * Test support for the fal client: {@link dev.falclient.test.AutoConfigureFalEmulator} runs a
 * {@link dev.falclient.emulator.FalEmulator} for Spring Boot tests and points the starter at it;
 * {@link dev.falclient.test.FalEmulatorExtension} does the same for plain JUnit 5 tests.
 */
@NullMarked
package dev.falclient.test;

import org.jspecify.annotations.NullMarked;
