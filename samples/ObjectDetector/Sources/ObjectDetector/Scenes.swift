import Foundation
import TFLiteRuntime

/// A box the scene was composed with, or one LiteRT found: label and pixel rectangle.
struct LabelledBox: Decodable, Sendable {
    var label: Int
    var box: [Float]
    var score: Float?

    var rectangle: BoundingBox { BoundingBox(x: box[0], y: box[1], width: box[2], height: box[3]) }
}

/// The held-out scenes (`Data/`): 48×48 gray canvases, their digits' boxes, and LiteRT's
/// detections on the same model.
struct Scenes {
    static let side = 48
    var images: [[UInt8]]
    var truth: [[LabelledBox]]
    var litert: [[LabelledBox]]?

    init(directory: URL) throws {
        let scenes = try NumPyArray(contentsOf: directory.appending(path: "test_scenes.npy").path)
        guard scenes.type == .uint8, scenes.shape.count == 3, scenes.shape[1] == Self.side, scenes.shape[2] == Self.side else {
            throw SampleError("unexpected scenes: \(scenes.shape)")
        }
        let bytes = [UInt8](scenes.data)
        let size = Self.side * Self.side
        images = (0..<scenes.shape[0]).map { Array(bytes[($0 * size)..<(($0 + 1) * size)]) }
        truth = try JSONDecoder().decode([[LabelledBox]].self, from: Data(contentsOf: directory.appending(path: "test_boxes.json")))
        litert = try? JSONDecoder().decode([[LabelledBox]].self, from: Data(contentsOf: directory.appending(path: "litert.json")))
        guard truth.count == images.count, truth.allSatisfy({ $0.allSatisfy { $0.box.count == 4 } }) else {
            throw SampleError("test_boxes.json does not match the scenes")
        }
    }
}

/// Intersection over union of two pixel rectangles.
func intersectionOverUnion(_ a: BoundingBox, _ b: BoundingBox) -> Float {
    let width = max(0, min(a.x + a.width, b.x + b.width) - max(a.x, b.x))
    let height = max(0, min(a.y + a.height, b.y + b.height) - max(a.y, b.y))
    let intersection = width * height
    let union = a.width * a.height + b.width * b.height - intersection
    return union > 0 ? intersection / union : 0
}

struct SampleError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
