import FuzzSupport

FuzzDriver.run { data, count in fuzzMetadataFlatBuffer(data.map(UnsafeRawPointer.init) ?? FuzzDriver.empty, count) }
