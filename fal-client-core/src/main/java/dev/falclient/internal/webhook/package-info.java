/** Engine of webhook verification: fal's JWKS, its cache and Ed25519 checks. Not API. */
@NullMarked
package dev.falclient.internal.webhook;

import org.jspecify.annotations.NullMarked;
