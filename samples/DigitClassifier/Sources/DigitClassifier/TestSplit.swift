import Foundation
import TFLiteRuntime

/// The held-out digits: 8×8 gray images (0…255) and their labels, from `Data/`.
struct TestSplit {
    var images: [[UInt8]]
    var labels: [Int]

    init(directory: URL) throws {
        let images = try NumPyArray(contentsOf: directory.appending(path: "test_images.npy").path)
        let labels = try NumPyArray(contentsOf: directory.appending(path: "test_labels.npy").path)
        guard images.type == .uint8, images.shape.count == 4, images.shape[1] == 8, images.shape[2] == 8,
              labels.shape == [images.shape[0]] else {
            throw DemoError("unexpected test split: images \(images.shape), labels \(labels.shape)")
        }
        let bytes = [UInt8](images.data)
        self.images = (0..<images.shape[0]).map { Array(bytes[($0 * 64)..<(($0 + 1) * 64)]) }
        self.labels = labels.doubles().map { Int($0) }
    }
}

struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
