import FuzzSupport

FuzzDriver.run { data, count in fuzzMetadataJSON(data.map(UnsafeRawPointer.init) ?? FuzzDriver.empty, count) }
