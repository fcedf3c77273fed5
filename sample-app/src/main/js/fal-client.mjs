// The entry point bundled into static/vendor/fal-client.js: fal's own JS client, nothing added.
export { fal, createFalClient } from "@fal-ai/client";
