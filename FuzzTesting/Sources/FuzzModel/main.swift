import FuzzSupport

FuzzDriver.run { data, count in fuzzModel(data.map(UnsafeRawPointer.init) ?? FuzzDriver.empty, count) }
