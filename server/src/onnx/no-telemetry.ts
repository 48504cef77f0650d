/**
 * onnxruntime-node's native library starts a telemetry client (it reads /etc/machine-id, writes
 * under ~/.cache and looks up a Microsoft host) unless ORT_DISABLE_TELEMETRY is set when it
 * loads. The server phones no one: this module sets it, and `runtime.ts` loads it first.
 */
process.env.ORT_DISABLE_TELEMETRY = '1';
export {};
