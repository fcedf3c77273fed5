/**
 * Files for fal models: uploads to fal's storage ({@link dev.falclient.storage.FalStorage},
 * {@link dev.falclient.storage.AsyncFalStorage}), their lifetime and access rules
 * ({@link dev.falclient.storage.UploadOptions}) and inline data URLs ({@link dev.falclient.storage.DataUrls}).
 *
 * <pre>{@code
 * String url = fal.storage().upload(Path.of("cat.png"));
 * fal.subscribe("fal-ai/flux/dev/image-to-image", Map.of("image_url", url, "prompt", "a tiger"));
 * }</pre>
 */
@NullMarked
package dev.falclient.storage;

import org.jspecify.annotations.NullMarked;
