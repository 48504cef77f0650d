/** The one door to onnxruntime-node: telemetry is off before the native library loads. */
import './no-telemetry';
import * as ort from 'onnxruntime-node';

export { ort };
