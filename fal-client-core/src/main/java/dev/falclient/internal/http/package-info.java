/**
 * The transport: the client's connections (a pool for calls, one for status streams, and the timer on their event
 * loops), calls built by named factories, the retry policy and the error mapper. Not API.
 */
@NullMarked
package dev.falclient.internal.http;

import org.jspecify.annotations.NullMarked;
