import Foundation
import TFLiteRuntime

extension Flowers {
    /// Where the build plugin bundled the model (`Bundle.module`), or nil.
    public static var bundledModelURL: URL? { Bundle.module.url(forResource: "Flowers", withExtension: "tflite") }

    /// Loads the bundled model, as an app would.
    public static func bundled() throws -> Flowers {
        try Flowers(configuration: .init(maxResults: 2))
    }
}
