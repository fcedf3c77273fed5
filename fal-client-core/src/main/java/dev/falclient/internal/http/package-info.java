/**
 * The transport: one WebClient on one connection pool, calls built by named factories, the retry policy and the
 * error mapper. Not API.
 */
@NullMarked
package dev.falclient.internal.http;

import org.jspecify.annotations.NullMarked;
