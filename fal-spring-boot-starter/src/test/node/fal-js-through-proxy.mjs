// Usage: node fal-js-through-proxy.mjs <proxyUrl>
// Uses fal's JS client exactly as a browser page would: no credentials, every call sent to the proxy.
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { createFalClient } from "@fal-ai/client";

const proxyUrl = process.argv[2];
if (!proxyUrl) {
  console.error("usage: node fal-js-through-proxy.mjs <proxyUrl>");
  process.exit(2);
}
// "always": fal-js proxies only in browsers by default, and this is Node
const fal = createFalClient({ proxyUrl: { url: proxyUrl, when: "always" } });
const endpoint = "fal-ai/flux/dev";

const { request_id: requestId } = await fal.queue.submit(endpoint, { input: { prompt: "a cat" } });
let status;
for (let attempt = 0; attempt < 200; attempt++) {
  status = await fal.queue.status(endpoint, { requestId, logs: true });
  if (status.status === "COMPLETED") break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const result = await fal.queue.result(endpoint, { requestId });
// subscribe with the status stream (server-sent events through the proxy)
const seen = [];
const subscribed = await fal.subscribe(endpoint, {
  input: { prompt: "a dog" },
  mode: "streaming",
  onQueueUpdate: (update) => seen.push(update.status),
});
let denied;
try {
  await fal.queue.submit("fal-ai/not-allowed", { input: { prompt: "x" } });
} catch (error) {
  denied = error.status;
}
console.log(JSON.stringify({
  requestId,
  status: status.status,
  resultRequestId: result.requestId,
  images: result.data.images.length,
  subscribedImages: subscribed.data.images.length,
  streamedStatuses: seen,
  denied,
}));
