// The wrapper of hand_landmark_lite.tflite (fetched by scripts/fetch_model.py) is generated here by TFLiteCodegenPlugin.
