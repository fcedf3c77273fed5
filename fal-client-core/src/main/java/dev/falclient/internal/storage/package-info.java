/**
 * Uploads to fal's storage: the CDN token cache, the CDN v3 flow (one piece or multipart), the REST-initiated
 * signed upload used as fallback, and the automatic upload of files found in call arguments ({@link
 * dev.falclient.internal.storage.AutoUpload#withBody(Object, java.util.function.Function)}).
 */
@NullMarked
package dev.falclient.internal.storage;

import org.jspecify.annotations.NullMarked;
