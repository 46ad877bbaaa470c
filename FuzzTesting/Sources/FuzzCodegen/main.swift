import FuzzSupport

FuzzDriver.run { data, count in fuzzCodegen(data.map(UnsafeRawPointer.init) ?? FuzzDriver.empty, count) }
