import FuzzSupport

FuzzDriver.run { data, count in fuzzImageDecoding(data.map(UnsafeRawPointer.init) ?? FuzzDriver.empty, count) }
