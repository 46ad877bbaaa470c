"""face_landmark_with_attention run by MediaPipe itself, compared with `tflrun run`.

MediaPipe's Python package runs TFLite models only inside its calculator graphs, with its own
custom-operator resolver. This script installs the mediapipe 0.10.14 wheel (no dependencies) into
bench-out/mediapipe/site/ once, loads its framework bindings without the `mediapipe` package's
__init__ (which imports the legacy solutions and with them OpenCV and matplotlib, which this path
does not use), and runs a graph of

  ImageToTensorCalculator (a random 192 x 192 RGB image -> [1, 192, 192, 3] in [0, 1])
  -> InferenceCalculator (TFLite CPU, the OP_RESOLVER of TfLiteCustomOpResolverCalculator)
  -> SplitTensorVectorCalculator -> TensorsToFloatsCalculator (each of the 7 outputs),

saving the input tensor MediaPipe made (input_0.npy) and its outputs (mediapipe_N.npy) in OUT_DIR.
With a tflrun binary (default: the newer of .build/release/tflrun and .build/debug/tflrun) it then runs
`tflrun run` on the same input and prints the largest differences.

Usage:  .venv/bin/python scripts/conformance/mediapipe_own.py [OUT_DIR] [--tflrun PATH]
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import types

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = "mediapipe/modules/face_landmark/face_landmark_with_attention.tflite"
OUTPUTS = ["output_mesh_identity", "output_lips", "output_left_eye", "output_right_eye", "output_left_iris",
           "output_right_iris", "conv_faceflag"]


def bindings():
    """MediaPipe's calculator graph, packet creator and getter, from the wheel's site directory."""
    sys.path.insert(0, os.path.join(REPO, "scripts"))
    from conformance.mediapipe import WHEEL, wheel_file
    site = os.path.join(REPO, "bench-out", "mediapipe", "site")
    if not os.path.isdir(os.path.join(site, "mediapipe")):
        wheel_file(MODEL)  # downloads the wheel into bench-out/mediapipe/ if needed
        cache = os.path.join(REPO, "bench-out", "mediapipe")
        wheel = [f for f in os.listdir(cache) if f.startswith("mediapipe-0.10.14") and f.endswith(".whl")][0]
        subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", site,
                        os.path.join(cache, wheel)], check=True)
        print(f"installed {WHEEL} into {site}")
    # The packages as namespaces, so that importing a submodule does not run their __init__.
    for name in ("mediapipe", "mediapipe.python"):
        module = types.ModuleType(name)
        module.__path__ = [os.path.join(site, *name.split("."))]
        sys.modules[name] = module
    from mediapipe.python import packet_creator, packet_getter
    from mediapipe.python._framework_bindings import calculator_graph, image_frame
    return calculator_graph.CalculatorGraph, packet_creator, packet_getter, image_frame.ImageFormat


def graph_config(model_path):
    split = " ".join(f"ranges {{ begin: {i} end: {i + 1} }}" for i in range(len(OUTPUTS)))
    streams = " ".join(f'output_stream: "t{i}"' for i in range(len(OUTPUTS)))
    floats = "".join(f'node {{ calculator: "TensorsToFloatsCalculator" input_stream: "TENSORS:t{i}" '
                     f'output_stream: "FLOATS:f{i}" }}\noutput_stream: "f{i}"\n' for i in range(len(OUTPUTS)))
    return f'''
input_stream: "image"
output_stream: "input_floats"
node {{
  calculator: "ImageToTensorCalculator"
  input_stream: "IMAGE:image"
  output_stream: "TENSORS:input_tensors"
  options {{ [mediapipe.ImageToTensorCalculatorOptions.ext] {{
    output_tensor_width: 192 output_tensor_height: 192 keep_aspect_ratio: false
    output_tensor_float_range {{ min: 0.0 max: 1.0 }} }} }}
}}
node {{ calculator: "TensorsToFloatsCalculator" input_stream: "TENSORS:input_tensors" output_stream: "FLOATS:input_floats" }}
node {{ calculator: "TfLiteCustomOpResolverCalculator" output_side_packet: "OP_RESOLVER:op_resolver" }}
node {{
  calculator: "InferenceCalculator"
  input_side_packet: "OP_RESOLVER:op_resolver"
  input_stream: "TENSORS:input_tensors"
  output_stream: "TENSORS:output_tensors"
  options {{ [mediapipe.InferenceCalculatorOptions.ext] {{ model_path: "{model_path}" delegate {{ tflite {{}} }} }} }}
}}
node {{
  calculator: "SplitTensorVectorCalculator"
  input_stream: "output_tensors"
  {streams}
  options {{ [mediapipe.SplitVectorCalculatorOptions.ext] {{ {split} }} }}
}}
{floats}'''


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default=os.path.join(REPO, "bench-out", "mediapipe", "face_attention"))
    ap.add_argument("--tflrun", help="the tflrun binary to compare (default: the newer of .build/release and .build/debug)")
    args = ap.parse_args()
    CalculatorGraph, packet_creator, packet_getter, ImageFormat = bindings()
    from conformance.mediapipe import wheel_file
    os.makedirs(args.out, exist_ok=True)
    model_path = os.path.join(args.out, "face_landmark_with_attention.tflite")
    with open(model_path, "wb") as f:
        f.write(wheel_file(MODEL))

    graph = CalculatorGraph(graph_config=graph_config(model_path))
    results = {}
    for name in ["input_floats"] + [f"f{i}" for i in range(len(OUTPUTS))]:
        graph.observe_output_stream(name, lambda stream, packet: results.__setitem__(
            stream, np.array(packet_getter.get_float_list(packet), np.float32)))
    image = np.random.default_rng(24).integers(0, 256, (192, 192, 3), dtype=np.uint8)
    graph.start_run()
    graph.add_packet_to_input_stream("image", packet_creator.create_image_frame(image_format=ImageFormat.SRGB, data=image).at(0))
    graph.close()
    np.save(os.path.join(args.out, "input_0.npy"), results["input_floats"].reshape(1, 192, 192, 3), allow_pickle=False)
    for i in range(len(OUTPUTS)):
        np.save(os.path.join(args.out, f"mediapipe_{i}.npy"), results[f"f{i}"], allow_pickle=False)
    print(f"MediaPipe's outputs saved in {args.out}")

    built = [p for p in (os.path.join(REPO, ".build", c, "tflrun") for c in ("release", "debug")) if os.path.exists(p)]
    tflrun = args.tflrun or max(built, key=os.path.getmtime, default=None)
    if not tflrun:
        print("no tflrun binary: build it (swift build -c release) or pass --tflrun")
        return
    ours = os.path.join(args.out, "tflrun")
    subprocess.run([tflrun, "run", model_path, "--input", os.path.join(args.out, "input_0.npy"), "--output-dir", ours], check=True)
    worst = 0.0
    for i, name in enumerate(OUTPUTS):
        a = np.load(os.path.join(ours, f"output_{i}.npy")).reshape(-1).astype(np.float64)
        m = results[f"f{i}"].astype(np.float64)
        diff = np.abs(a - m).max()
        relative = diff / max(np.abs(m).max(), 1e-12)
        worst = max(worst, relative)
        print(f"{name:22s} {m.size:5d} values  max |tflrun - MediaPipe| = {diff:.3g}  ({relative:.3g} of the largest)")
    print(f"worst: {worst:.3g} relative")


if __name__ == "__main__":
    main()
