/**
 * The server proxy for browser clients (fal's JS client with {@code proxyUrl}): the request the access hook sees and
 * the hook itself. The proxy is configured with {@code fal.proxy.*}.
 */
@NullMarked
package dev.falclient.spring.proxy;

import org.jspecify.annotations.NullMarked;
