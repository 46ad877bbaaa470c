/// A one-line error message; ArgumentParser prints it as `Error: …` and exits with code 1.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
