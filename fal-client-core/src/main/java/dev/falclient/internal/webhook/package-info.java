/** Engine of webhook verification: fal's JWKS, its cache and Ed25519 checks. Not API. */
package dev.falclient.internal.webhook;
