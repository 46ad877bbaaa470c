import FuzzSupport

FuzzDriver.run { data, count in fuzzQuantize(data.map(UnsafeRawPointer.init) ?? FuzzDriver.empty, count) }
