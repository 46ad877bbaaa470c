import FuzzSupport

FuzzDriver.run { data, count in fuzzVerifier(data.map(UnsafeRawPointer.init) ?? FuzzDriver.empty, count) }
